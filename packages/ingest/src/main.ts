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
import { startIngest } from './runtime.ts';

// Production entry point: ingest alone. `pnpm start` runs it beside the worker.
const { config } = bootConfig('ingest', { requireDatabase: true });
const log = pino(loggerOptions(config.LOG_LEVEL, 'ingest'));
// Before listening: an unsafe Redis must not acknowledge a single webhook.
if (!(await verifyRedisAtStart(config.REDIS_URL, config, log))) process.exit(1);
const registry = createMetricsRegistry();
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'ingest'), 5));
const ingest = await startIngest(config, db, registry);
const operations = config.METRICS_PORT
  ? await serveOperations(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST }, ingest.readiness)
  : undefined;
onShutdown(
  async () => {
    operations?.close();
    await ingest.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => log.info(msg),
);
