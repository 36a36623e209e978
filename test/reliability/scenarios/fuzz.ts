import { type Row } from '../check.ts';
import { fuzzCases } from '../fuzz.ts';
import type { Profile } from '../load.ts';
import { rssBytes, PROCESS_SECRET, startProcessSystem } from '@kyc/test-support';

const MAX_BODY_BYTES = 1024 * 1024;
const MB = 1024 * 1024;

/** 7. Bad input: no 5xx but 503, no crash, nothing enqueued, memory flat. */
export async function fuzz(p: Profile): Promise<Row> {
  const system = await startProcessSystem('fuzz', { workers: 1 });
  try {
    const next = fuzzCases(7, PROCESS_SECRET, MAX_BODY_BYTES);
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
        const status = await fetch(`${system.url}/webhooks/sumsub`, {
          method: 'POST',
          headers: c.headers,
          body: new Uint8Array(c.body),
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
      notes: `${byStatus}${earlyCloses ? ` (+${earlyCloses} resets after an early 413)` : ''}; jobs enqueued ${jobs}; RSS ${(rssWarm / MB).toFixed(0)} -> ${(rssEnd / MB).toFixed(0)} MB; ${alive ? 'alive' : 'DEAD'}${kindsWith5xx.size ? `; 5xx from ${[...kindsWith5xx].join(', ')}` : ''}`,
      pass: alive && jobs === 0 && twoxx === 0 && bad === 0 && growthMb < 64,
    };
  } finally {
    await system.stop();
  }
}
