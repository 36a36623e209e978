import { createMetricsRegistry, QUEUES } from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { startIngest } from '@kyc/ingest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { testConfig } from './env.ts';

/** A real ingest server on a free port, plus a queue handle to look inside Redis. */
export async function startTestIngest(overrides: Record<string, string> = {}) {
  const config = testConfig(overrides);
  const db = createDb(postgresAdapter(config.DATABASE_URL, 4));
  const registry = createMetricsRegistry();
  const ingest = await startIngest(config, db, registry);
  const inspector = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  inspector.on('error', () => undefined);
  const queue = new Queue(QUEUES.sumsubEvents, { connection: inspector, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => undefined);
  return {
    url: ingest.url,
    config,
    registry,
    queue,
    db,
    /** Jobs stored in any state. */
    async jobCount(): Promise<number> {
      const counts = await queue.getJobCounts();
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async stop() {
      await ingest.stop();
      await queue.close();
      inspector.disconnect();
      await db.$disconnect();
    },
  };
}

export type TestIngest = Awaited<ReturnType<typeof startTestIngest>>;
