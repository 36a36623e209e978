import { bootService, serveUntilSignal } from '@kyc/contracts';
import { createDb, postgresAdapter } from '@kyc/db';
import { startIngest } from './runtime.ts';

// Production entry point: ingest alone. `pnpm start` runs it beside the worker.
const service = await bootService('ingest');
const db = createDb(postgresAdapter(service.databaseUrl, 5));
const ingest = await startIngest(service.config, db, service.registry);
await serveUntilSignal(service, ingest.readiness, async () => {
  await ingest.stop();
  await db.$disconnect();
});
