import { startProcessSystem } from '@kyc/test-support';
import { hammer, type HttpResult } from './support/autocannon.ts';
import { signedRequests } from './support/bodies.ts';
import { PRODUCTION_DEFAULTS, startBaseline } from './support/servers.ts';

export type IntakeRow = { connections: number; ingest: HttpResult; naive: HttpResult; bare: HttpResult };

/**
 * Signed webhooks per second through the production ingest (verify, validate,
 * dedupe, durable enqueue in Redis with AOF, logging and metrics at their
 * defaults) beside two baselines on the same Redis: a naive enqueue (Fastify + one
 * `queue.add`), and a bare Fastify JSON POST. Every request is a distinct event.
 */
export async function benchIntake(seconds: number, connectionCounts: number[]): Promise<IntakeRow[]> {
  const requests = signedRequests(400_000, { duplicates: 0, shuffle: false, seed: 11 });
  const warmup = requests.slice(350_000);
  const measured = requests.slice(0, 350_000);
  const rows: IntakeRow[] = [];
  for (const connections of connectionCounts) {
    const system = await startProcessSystem(`intake${connections}`, {
      workers: 0,
      env: { ...PRODUCTION_DEFAULTS, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
    });
    const redisUrl = system.redis?.url ?? '';
    const bare = await startBaseline('bench/baselines/bare-fastify.ts');
    const naive = await startBaseline('bench/baselines/naive-enqueue.ts', {
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `{bench-naive-${connections}}`,
    });
    try {
      const run = async (url: string) => {
        await hammer(url, warmup, { connections, seconds: 2 });
        return hammer(url, measured, { connections, seconds });
      };
      // Interleaved so drift on a shared machine hits all three alike.
      const bareResult = await run(bare.url);
      const naiveResult = await run(naive.url);
      const ingestResult = await run(system.url);
      rows.push({ connections, ingest: ingestResult, naive: naiveResult, bare: bareResult });
    } finally {
      await bare.stop();
      await naive.stop();
      await system.stop();
    }
  }
  return rows;
}
