import { asyncLogger, type Config, type ReadinessCheck } from '@kyc/contracts';
import { createDb, pgSql, postgresAdapter } from '@kyc/db';
import type { Registry } from 'prom-client';
import { APPLY_IN_FLIGHT, startWorker, WORKER_POOL_SIZE } from './runtime.ts';

export type PostgresWorker = { readiness: ReadinessCheck; stop: () => Promise<void> };

/**
 * The worker on PostgreSQL, as its own process (`pnpm start:worker`) and as
 * `pnpm start`'s worker thread: Prisma for everything but the apply statement,
 * which goes over plain pg (one connection per statement in flight), and a line
 * per job written off the event loop's path, as the ingest writes its request
 * lines. stop() lets active jobs finish, then closes both pools.
 */
export function startWorkerOnPostgres(config: Config, databaseUrl: string, registry: Registry): PostgresWorker {
  const { logger: log, flush } = asyncLogger(config.LOG_LEVEL, 'worker');
  const db = createDb(postgresAdapter(databaseUrl, WORKER_POOL_SIZE));
  const applySql = pgSql(databaseUrl, APPLY_IN_FLIGHT);
  const runtime = startWorker(config, db, log, registry, applySql);
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, metricsPort: config.METRICS_PORT }, 'worker started');
  return {
    readiness: runtime.readiness,
    async stop() {
      try {
        await runtime.stop();
        await applySql.close();
        await db.$disconnect();
      } finally {
        flush();
      }
    },
  };
}
