import { type Config, createMetricsRegistry, loggerOptions, serveOperations, verifyRedisAtStart } from '@kyc/contracts';
import { prismaSql } from '@kyc/db';
import { startIngest } from '@kyc/ingest';
import { startWorker } from '@kyc/worker';
import { type Logger, pino } from 'pino';
import { openDatabase } from './database.ts';
import { resolveRedis } from './local-redis.ts';

export type System = { url: string; database: string; redis: string; dashboard: string; stop: () => Promise<void> };

/**
 * Redis (given, found or started), the database (given or embedded, migrated),
 * then ingest and worker in this process. stop() closes in reverse: intake first
 * (no new events), the worker (active jobs finish), the database, then Redis.
 */
export async function startSystem(config: Config, log: Logger): Promise<System> {
  const redis = await resolveRedis(config);
  const running = { ...config, REDIS_URL: redis.url };
  const safe = await verifyRedisAtStart(running, config, log);
  if (!safe) {
    await redis.stop();
    throw new Error('Redis is not safe for a production queue (see above)');
  }
  const database = await openDatabase(config, (line) => log.info(line)).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  const registry = createMetricsRegistry();
  const ingest = await startIngest(running, prismaSql(database.db), registry);
  const worker = startWorker(running, database.db, pino(loggerOptions(config.LOG_LEVEL, 'worker')), registry, database.applySql);
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
