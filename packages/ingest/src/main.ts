import { bootConfig, createMetricsRegistry, onShutdown, requireDatabaseUrl, serveMetrics, verifyRedisAtStart } from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { startIngest } from './runtime.ts';

// Production entry point: ingest alone. `pnpm start` runs it beside the worker.
const { config } = bootConfig('ingest', process.env, (c) => requireDatabaseUrl(c, 'ingest'));
const registry = createMetricsRegistry();
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'ingest'), 5));
const ingest = await startIngest(config, db, registry);
const log = ingest.app.log;
const safe = await verifyRedisAtStart(config.REDIS_URL, config, log);
if (!safe) {
  await ingest.stop();
  process.exit(1);
}
const metricsServer = config.METRICS_PORT ? await serveMetrics(registry, config.METRICS_PORT, config.HOST) : undefined;
onShutdown(
  async () => {
    metricsServer?.close();
    await ingest.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => log.info(msg),
);
