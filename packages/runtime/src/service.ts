import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import { bootConfig, onShutdown } from './config/boot.ts';
import { type Config, requireDatabaseUrl } from './config/load-config.ts';
import { loggerOptions } from './logging.ts';
import type { CombinedRegistry } from './combined-registry.ts';
import { createMetricsRegistry, serveOperations } from './metrics.ts';
import type { ReadinessCheck } from './readiness.ts';
import { verifyRedisAtStart } from './redis-safety.ts';
import { sumsubApiStatus } from './config/sumsub-api.ts';
import { accountLines } from './config/sumsub-accounts.ts';
import { tracing } from './tracing.ts';

/**
 * What a production entry point (ingest, api, worker) does before it starts
 * serving: load and validate the configuration, check that Redis is safe for a
 * queue (and stop if not, before a single webhook is answered), and create the
 * logger and metrics registry. The api and worker need DATABASE_URL; the ingest
 * (`database: 'none'`) runs without one and ignores one that is set.
 */
export async function bootService(name: string): Promise<BootedService & { databaseUrl: string }>;
export async function bootService(name: string, options: { database: 'none' }): Promise<BootedService>;
export async function bootService(name: string, options: { database: 'required' | 'none' } = { database: 'required' }) {
  const withDatabase = options.database === 'required';
  const env = withDatabase ? process.env : { ...process.env, DATABASE_URL: undefined };
  const { config } = bootConfig(name, { requireDatabase: withDatabase }, env);
  const log = pino(loggerOptions(config.LOG_LEVEL, name));
  if (!(await verifyRedisAtStart(config, config, log))) process.exit(1);
  const sumsub = sumsubApiStatus(config.sumsubApi, config.production);
  log.info(`Sumsub API: ${sumsub.line}`);
  if (sumsub.warning) log.warn(sumsub.warning);
  for (const line of accountLines(config)) log.info(line);
  const booted: BootedService = { config, log, registry: createMetricsRegistry() };
  return withDatabase ? { ...booted, databaseUrl: requireDatabaseUrl(config, name) } : booted;
}

export type BootedService = { config: Config; log: Logger; registry: CombinedRegistry };

/**
 * Serves the operations port when METRICS_PORT is set, and on SIGTERM/SIGINT
 * closes it and runs `stop` within SHUTDOWN_TIMEOUT_MS, then exports the last spans.
 */
export async function serveUntilSignal(
  service: { config: Config; log: { info: (msg: string) => void }; registry: Registry },
  readiness: ReadinessCheck,
  stop: () => Promise<void>,
): Promise<void> {
  const { config, log, registry } = service;
  const operations = config.METRICS_PORT
    ? await serveOperations(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST }, readiness)
    : undefined;
  onShutdown(
    async () => {
      operations?.close();
      await stop();
      await tracing()?.shutdown(); // exports the last spans
    },
    config.SHUTDOWN_TIMEOUT_MS,
    (msg) => log.info(msg),
  );
}
