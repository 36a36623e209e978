import { bootConfig, requireDatabaseUrl, onShutdown } from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { startIngest } from './runtime.ts';

// Production entry point: ingest alone. `pnpm start` runs it beside the worker.
const { config, generated } = bootConfig('ingest', process.env, (c) => requireDatabaseUrl(c, 'ingest'));
const db = createDb(postgresAdapter(requireDatabaseUrl(config, 'ingest'), 5));
const ingest = await startIngest(config, db);
for (const line of generated) ingest.app.log.warn(`development secret (kept in ${config.DATA_DIR}/dev-secrets.json): ${line}`);
onShutdown(
  async () => {
    await ingest.stop();
    await db.$disconnect();
  },
  config.SHUTDOWN_TIMEOUT_MS,
  (msg) => ingest.app.log.info(msg),
);
