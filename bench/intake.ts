import { spawn } from 'node:child_process';
import { generateDeliveries } from '@kyc/samples';
import { signBody } from '@kyc/contracts';
import { REPO_ROOT } from '@kyc/db';
import { PROCESS_SECRET, startProcessSystem } from '@kyc/test-support';
import { hammer, type HttpResult } from './support/autocannon.ts';
import { freePort } from '@kyc/test-support';

export type IntakeRow = { connections: number; ingest: HttpResult; baseline: HttpResult };

async function startBaseline() {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline-server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/webhooks/sumsub`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('baseline server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

/**
 * Signed webhooks per second through verify, validate and durable enqueue (Redis
 * with AOF), beside a bare Fastify JSON POST of the same bodies, at each
 * connection count. Every body is a distinct event, so each request really enqueues.
 */
export async function benchIntake(seconds: number, connectionCounts: number[]): Promise<IntakeRow[]> {
  const deliveries = generateDeliveries({ count: 300_000, applicants: 20_000, duplicates: 0, shuffle: false, seed: 11 });
  const signed = deliveries.map(({ body }) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'x-payload-digest': signBody(body, PROCESS_SECRET),
      'x-payload-digest-alg': 'HMAC_SHA256_HEX',
    },
  }));
  const unsigned = deliveries.slice(0, 10_000).map(({ body }) => ({ body, headers: { 'content-type': 'application/json' } }));
  const rows: IntakeRow[] = [];
  for (const connections of connectionCounts) {
    const system = await startProcessSystem(`intake${connections}`, { workers: 0 });
    const baseline = await startBaseline();
    try {
      await hammer(baseline.url, unsigned, connections, 2); // warm-up
      const base = await hammer(baseline.url, unsigned, connections, seconds);
      await hammer(system.url, signed.slice(250_000), connections, 2); // warm-up on bodies the run does not reuse
      const ingest = await hammer(system.url, signed, connections, seconds);
      rows.push({ connections, ingest, baseline: base });
    } finally {
      await baseline.stop();
      await system.stop();
    }
  }
  return rows;
}
