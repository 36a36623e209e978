import { asyncLogger, type Config, type ReadinessCheck } from '@kyc/runtime';
import { pgSql } from '@kyc/db/plain';
import type { Registry } from 'prom-client';
import { APPLY_IN_FLIGHT, startWorker, WORKER_OTHER_CONNECTIONS } from './runtime.ts';

export type PostgresWorker = { readiness: ReadinessCheck; stop: () => Promise<void> };

/**
 * The worker on PostgreSQL, as its own process (`pnpm start:worker`) and as
 * `pnpm start`'s worker thread: plain pg, no Prisma client (it would cost about
 * 75 MB), in two pools: one for the apply statement (a connection per statement
 * in flight), one for everything else. A line per job, written off the event
 * loop's path as the ingest writes its request lines. stop() lets active jobs
 * finish, then closes both pools.
 */
export function startWorkerOnPostgres(config: Config, databaseUrl: string, registry: Registry): PostgresWorker {
  const { logger: log, flush } = asyncLogger(config.LOG_LEVEL, 'worker');
  const sql = pgSql(databaseUrl, WORKER_OTHER_CONNECTIONS);
  const applySql = pgSql(databaseUrl, APPLY_IN_FLIGHT);
  const runtime = startWorker(config, sql, log, registry, applySql);
  log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, metricsPort: config.METRICS_PORT }, 'worker started');
  return {
    readiness: runtime.readiness,
    async stop() {
      try {
        await runtime.stop();
        await applySql.close();
        await sql.close();
      } finally {
        flush();
      }
    },
  };
}
