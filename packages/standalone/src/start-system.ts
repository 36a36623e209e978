import { type Config, loggerOptions } from '@kyc/contracts';
import { startIngest } from '@kyc/ingest';
import { startWorker } from '@kyc/worker';
import { type Logger, pino } from 'pino';
import { openDatabase } from './database.ts';
import { resolveRedis } from './local-redis.ts';

export type System = { url: string; database: string; redis: string; stop: () => Promise<void> };

/**
 * Redis (given, found or started), the database (given or embedded, migrated),
 * then ingest and worker in this process. stop() closes in reverse: intake first
 * (no new events), the worker (active jobs finish), the database, then Redis.
 */
export async function startSystem(config: Config, log: Logger): Promise<System> {
  const redis = await resolveRedis(config);
  const database = await openDatabase(config, (line) => log.info(line)).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  const running = { ...config, REDIS_URL: redis.url };
  const ingest = await startIngest(running, database.db);
  const worker = startWorker(running, database.db, pino(loggerOptions(config.LOG_LEVEL, 'worker')));
  return {
    url: ingest.url,
    database: database.description,
    redis: redis.description,
    async stop() {
      await ingest.stop();
      await worker.stop();
      await database.close();
      await redis.stop();
    },
  };
}
