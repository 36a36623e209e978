import {
  bootConfig,
  createMetricsRegistry,
  loggerOptions,
  onShutdown,
  requireDatabaseUrl,
  serveMetrics,
  verifyRedisAtStart,
} from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { pino } from 'pino';
import { startWorker } from './runtime.ts';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
const { config } = bootConfig('worker', process.env, (c) => requireDatabaseUrl(c, 'worker'));
const log = pino(loggerOptions(config.LOG_LEVEL, 'worker'));
const safe = await verifyRedisAtStart(config.REDIS_URL, config, log);
if (!safe) process.exit(1);

const registry = createMetricsRegistry();
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'worker'), config.WORKER_CONCURRENCY + 2));
const runtime = startWorker(config, db, log, registry);
const metricsServer = config.METRICS_PORT ? await serveMetrics(registry, config.METRICS_PORT, config.HOST) : undefined;
log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX, metricsPort: config.METRICS_PORT }, 'worker started');
onShutdown(
  async () => {
    metricsServer?.close();
    await runtime.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => log.info(msg),
);
