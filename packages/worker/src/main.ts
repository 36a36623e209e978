import {
  bootConfig,
  createMetricsRegistry,
  loggerOptions,
  onShutdown,
  requireDatabaseUrl,
  serveOperations,
  verifyRedisAtStart,
} from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { pino } from 'pino';
import { startWorker } from './runtime.ts';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
const { config } = bootConfig('worker', { requireDatabase: true });
const log = pino(loggerOptions(config.LOG_LEVEL, 'worker'));
if (!(await verifyRedisAtStart(config.REDIS_URL, config, log))) process.exit(1);

const registry = createMetricsRegistry();
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'worker'), config.WORKER_CONCURRENCY + 2));
const runtime = startWorker(config, db, log, registry);
// The worker's only HTTP surface: metrics, liveness and readiness on the operations port.
const operations = config.METRICS_PORT
  ? await serveOperations(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST }, runtime.readiness)
  : undefined;
log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, metricsPort: config.METRICS_PORT }, 'worker started');
onShutdown(
  async () => {
    operations?.close();
    await runtime.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => log.info(msg),
);
