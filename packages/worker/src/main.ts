import { bootService, serveUntilSignal } from '@kyc/contracts';
import { createDb, pgSql, postgresAdapter } from '@kyc/db';
import { APPLY_IN_FLIGHT, startWorker, WORKER_POOL_SIZE } from './runtime.ts';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
// Its only HTTP surface is the operations port (METRICS_PORT): metrics, liveness, readiness.
const service = await bootService('worker');
const { config, log } = service;
const db = createDb(postgresAdapter(service.databaseUrl, WORKER_POOL_SIZE));
// The apply statement on plain pg: one connection per statement in flight.
const applySql = pgSql(service.databaseUrl, APPLY_IN_FLIGHT);
const runtime = startWorker(config, db, log, service.registry, applySql);
log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, metricsPort: config.METRICS_PORT }, 'worker started');
await serveUntilSignal(service, runtime.readiness, async () => {
  await runtime.stop();
  await applySql.close();
  await db.$disconnect();
});
