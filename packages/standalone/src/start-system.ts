import {
  type CombinedRegistry,
  type Config,
  createMetricsRegistry,
  loggerOptions,
  redisDependency,
  serveOperations,
  verifyRedisAtStart,
  waitForDependencies,
} from '@kyc/runtime';
import { databaseDependency } from '@kyc/db/plain';
import { startWorker } from '@kyc/worker';
import { startWorkerThread } from '@kyc/worker/thread';
import { type Logger, pino } from 'pino';
import { type Database, openDatabase } from './database.ts';
import { startFront } from './front.ts';
import { resolveRedis } from './local-redis.ts';

export type System = { url: string; database: string; redis: string; dashboard: string; stop: () => Promise<void> };

/**
 * The worker: on PostgreSQL in a worker thread, so applying events has an event
 * loop of its own instead of waiting behind intake's (ack→commit p99 of
 * 470–820 ms in one thread, about 230 ms in two: docs/benchmarks.md); on the
 * embedded database in this thread, which owns PGlite.
 */
async function startWorkerFor(
  config: Config,
  database: Database,
  log: Logger,
  registry: CombinedRegistry,
): Promise<{ stop(): Promise<void> }> {
  if (database.kind === 'embedded') return startWorker(config, database.sql, pino(loggerOptions(config.LOG_LEVEL, 'worker')), registry);
  return startWorkerThread({
    config,
    databaseUrl: database.url,
    log,
    registry,
    onLost(reason) {
      // Intake would go on acknowledging events nobody applies: exit, so the supervisor restarts
      // the whole system (acknowledged events are in Redis and are applied after the restart).
      log.fatal(`${reason}; exiting`);
      process.exit(1);
    },
  });
}

/**
 * Redis (given, found or started), the database (given or embedded, migrated),
 * then worker and ingest. stop() closes in reverse: intake first (no new
 * events), the worker (active jobs finish), the database, then Redis.
 */
export async function startSystem(config: Config, log: Logger, signal: AbortSignal = new AbortController().signal): Promise<System> {
  const redis = await resolveRedis(config);
  const running = { ...config, REDIS_URL: redis.url };
  // Nothing starts (and no banner says it runs) until Redis and the database answer.
  const dependencies = [
    redisDependency(running),
    ...(config.DATABASE_URL ? [databaseDependency(config.DATABASE_URL, { createsDatabase: true })] : []),
  ];
  await waitForDependencies(dependencies, (line) => log.warn(line), signal).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  const started: (() => Promise<void>)[] = [() => redis.stop()];
  const unwind = async (error: unknown): Promise<never> => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw error;
  };
  if (!(await verifyRedisAtStart(running, config, log))) await unwind(new Error('Redis is not safe for a production queue (see above)'));
  const database = await openDatabase(config, (line) => log.info(line)).catch(unwind);
  started.push(() => database.close());
  const registry = createMetricsRegistry();
  const worker = await startWorkerFor(running, database, log, registry).catch(unwind);
  started.push(() => worker.stop());
  const ingest = await startFront(running, database.sql, registry).catch(unwind);
  const metricsServer = config.METRICS_PORT
    ? await serveOperations(registry, { port: config.METRICS_PORT, host: config.METRICS_HOST }, ingest.readiness)
    : undefined;
  return {
    url: ingest.url,
    dashboard: `${ingest.url}/admin/queues`,
    database: database.description,
    redis: redis.description,
    async stop() {
      metricsServer?.close();
      await ingest.stop();
      await worker.stop();
      await database.close();
      await redis.stop();
    },
  };
}
