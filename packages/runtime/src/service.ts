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
import { type Dependency, redisDependency, StoppedWhileWaiting, waitForDependencies } from './wait-for.ts';

/** The database a service waits for at start (the db package builds it: this one holds no database client). */
export type DatabaseDependency = (url: string) => Dependency;

/**
 * What a production entry point (ingest, api, worker) does before it starts
 * serving: load and validate the configuration, wait until Redis (and the
 * database, for the api and worker) answer, check that Redis is safe for a queue
 * (and stop if not, before a single webhook is answered), and create the logger
 * and metrics registry. The api and worker need DATABASE_URL; the ingest
 * (`database: 'none'`) runs without one and ignores one that is set.
 */
export async function bootService(
  name: string,
  options: { database: DatabaseDependency },
): Promise<BootedService & { databaseUrl: string }>;
export async function bootService(name: string, options: { database: 'none' }): Promise<BootedService>;
export async function bootService(name: string, options: { database: DatabaseDependency | 'none' }) {
  const database = options.database === 'none' ? undefined : options.database;
  const env = database ? process.env : { ...process.env, DATABASE_URL: undefined };
  const { config } = bootConfig(name, { requireDatabase: database !== undefined }, env);
  const log = pino(loggerOptions(config.LOG_LEVEL, name));
  const databaseUrl = database ? requireDatabaseUrl(config, name) : undefined;
  await waitOrExit([redisDependency(config), ...(database && databaseUrl ? [database(databaseUrl)] : [])], log);
  if (!(await verifyRedisAtStart(config, config, log))) process.exit(1);
  const sumsub = sumsubApiStatus(config.sumsubApi, config.production);
  log.info(`Sumsub API: ${sumsub.line}`);
  if (sumsub.warning) log.warn(sumsub.warning);
  for (const line of accountLines(config)) log.info(line);
  const booted: BootedService = { config, log, registry: createMetricsRegistry() };
  return databaseUrl ? { ...booted, databaseUrl } : booted;
}

// A signal from boot until serveUntilSignal installs the shutdown: nothing serves
// yet. While dependencies are awaited it stops the process at once; later (the
// service is starting) it is remembered and acted on as soon as stopping can work.
const starting = new AbortController();
let signalledWhileStarting: NodeJS.Signals | undefined;
function rememberSignal(signal: NodeJS.Signals) {
  signalledWhileStarting ??= signal;
  starting.abort();
}

/** Waits for the dependencies, one log line per backoff step; a signal meanwhile exits 0. */
async function waitOrExit(dependencies: readonly Dependency[], log: Logger): Promise<void> {
  process.on('SIGTERM', rememberSignal).on('SIGINT', rememberSignal);
  try {
    await waitForDependencies(dependencies, (line) => log.warn(line), starting.signal);
  } catch (error) {
    if (!(error instanceof StoppedWhileWaiting)) throw error;
    log.info(error.message);
    process.exit(0);
  }
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
  // No await from here to the handler's installation: no signal falls between.
  process.off('SIGTERM', rememberSignal).off('SIGINT', rememberSignal);
  const shutdown = onShutdown(
    async () => {
      operations?.close();
      await stop();
      await tracing()?.shutdown(); // exports the last spans
    },
    config.SHUTDOWN_TIMEOUT_MS,
    (msg) => log.info(msg),
  );
  if (signalledWhileStarting) shutdown(signalledWhileStarting);
}
