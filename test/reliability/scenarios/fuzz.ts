import { type Row } from '../check.ts';
import { fuzzCases } from '../fuzz.ts';
import type { Profile } from '../load.ts';
import { connect } from 'node:net';
import { PROCESS_ADMIN_TOKEN, PROCESS_SECRET, rssBytes, startProcessSystem } from '@kyc/test-support';

const MAX_BODY_BYTES = 256 * 1024;
const REQUEST_TIMEOUT_MS = 2000;
const MB = 1024 * 1024;

/**
 * One slow client: headers and part of a body, then nothing. Resolves with what
 * the server answered before it closed the connection, and after how long.
 */
function stallMidBody(port: number): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /webhooks/sumsub HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES - 1}\r\n\r\n{"applicantId":"`,
      );
    });
    socket.on('data', (data) => (answer += data.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ answer: answer.split('\r\n')[0] ?? '', ms: performance.now() - started }));
  });
}

/** 7. Bad input: no 5xx but 503, no crash, nothing enqueued, memory flat. */
export async function fuzz(p: Profile): Promise<Row> {
  const system = await startProcessSystem('fuzz', { workers: 1, env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
  try {
    const next = fuzzCases(7, PROCESS_SECRET, MAX_BODY_BYTES, PROCESS_ADMIN_TOKEN);
    const port = Number(new URL(system.url).port);
    const slow = { clients: 0, cut: 0, slowestMs: 0 };
    let fuzzing = true;
    // Slow clients all along: each must be cut by the request timeout, none may hold on.
    const stall = async () => {
      while (fuzzing) {
        const { answer, ms } = await stallMidBody(port);
        slow.clients++;
        if (answer === '' || answer.startsWith('HTTP/1.1 408')) slow.cut++;
        slow.slowestMs = Math.max(slow.slowestMs, ms);
      }
    };
    const stalling = Array.from({ length: 20 }, stall);
    const statuses = new Map<number, number>();
    const kindsWith5xx = new Set<string>();
    let earlyCloses = 0;
    let sent = 0;
    let rssWarm = 0;
    const latencies: number[] = [];
    const send = async () => {
      while (sent < p.fuzzRequests) {
        sent++;
        if (sent === Math.floor(p.fuzzRequests / 5)) rssWarm = rssBytes(system.ingest.pid ?? 0);
        const c = next();
        const started = performance.now();
        // Admin paths are the api's; everything else is intake's.
        const status = await fetch(c.path ? `${system.apiUrl}${c.path}` : `${system.url}/webhooks/sumsub`, {
          method: c.method ?? 'POST',
          headers: c.headers,
          ...(c.method === 'GET' ? {} : { body: new Uint8Array(c.body) }),
        }).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
          () => 0,
        );
        latencies.push(performance.now() - started);
        // An over-limit body is refused from its Content-Length with 413 and the
        // connection closed; a client still uploading may only see the reset.
        if (status === 0 && c.kind === 'over the size limit') {
          earlyCloses++;
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 0 || (status >= 500 && status !== 503)) kindsWith5xx.add(c.kind);
      }
    };
    await Promise.all(Array.from({ length: 16 }, send));
    fuzzing = false;
    await Promise.all(stalling);
    const rssEnd = rssBytes(system.ingest.pid ?? 0);
    const alive =
      system.ingestAlive() &&
      (await fetch(`${system.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
    const jobs = Object.values(await system.queue.getJobCounts()).reduce((a, b) => a + b, 0);
    const twoxx = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((a, [, n]) => a + n, 0);
    const bad = [...statuses].filter(([s]) => s === 0 || (s >= 500 && s !== 503)).reduce((a, [, n]) => a + n, 0);
    const growthMb = (rssEnd - rssWarm) / MB;
    const byStatus = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    latencies.sort((a, b) => a - b);
    return {
      scenario: 'bad-input fuzzing',
      deliveries: sent,
      acknowledged: twoxx,
      applied: 0,
      lost: 0,
      appliedTwice: 0,
      wrongRecords: 0,
      p99AckMs: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
      notes: `${byStatus}; ${slow.clients} slow clients, ${slow.cut} cut by the timeout (slowest ${(slow.slowestMs / 1000).toFixed(1)} s)${earlyCloses ? ` (+${earlyCloses} resets after an early 413)` : ''}; jobs enqueued ${jobs}; RSS ${(rssWarm / MB).toFixed(0)} -> ${(rssEnd / MB).toFixed(0)} MB; ${alive ? 'alive' : 'DEAD'}${kindsWith5xx.size ? `; 5xx from ${[...kindsWith5xx].join(', ')}` : ''}`,
      pass:
        alive &&
        jobs === 0 &&
        twoxx === 0 &&
        bad === 0 &&
        growthMb < 64 &&
        slow.clients > 0 &&
        slow.cut === slow.clients &&
        slow.slowestMs < REQUEST_TIMEOUT_MS + 5_000,
    };
  } finally {
    await system.stop();
  }
}
