import { bootConfig, requireDatabaseUrl, loggerOptions, onShutdown } from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { pino } from 'pino';
import { startWorker } from './runtime.ts';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
const { config } = bootConfig('worker', process.env, (c) => requireDatabaseUrl(c, 'worker'));
const log = pino(loggerOptions(config.LOG_LEVEL, 'worker'));
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'worker'), config.WORKER_CONCURRENCY + 2));
const runtime = startWorker(config, db, log);
log.info({ concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX }, 'worker started');
onShutdown(
  async () => {
    await runtime.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => log.info(msg),
);
