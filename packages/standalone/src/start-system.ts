import { type Config, loggerOptions } from '@kyc/contracts';
import { createDb, migrateDeploy, postgresAdapter } from '@kyc/db';
import { startIngest } from '@kyc/ingest';
import { startWorker } from '@kyc/worker';
import { type Logger, pino } from 'pino';


export type System = { url: string; stop: () => Promise<void> };

/**
 * Migrates, then runs ingest and worker in this process. stop() closes in order:
 * intake first (no new events), then the worker (active jobs finish), then the
 * database.
 */
export async function startSystem(config: Config, log: Logger): Promise<System> {
  await migrateDeploy(config.DATABASE_URL, (line) => log.debug(line));
  log.info('database migrated');
  const db = createDb(postgresAdapter(config.DATABASE_URL, config.WORKER_CONCURRENCY + 5));
  const ingest = await startIngest(config, db);
  const worker = startWorker(config, db, pino(loggerOptions(config.LOG_LEVEL, 'worker')));
  return {
    url: ingest.url,
    async stop() {
      await ingest.stop();
      await worker.stop();
      await db.$disconnect();
    },
  };
}
