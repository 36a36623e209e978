import { bootService, serveUntilSignal } from '@kyc/contracts';
import { pgSql } from '@kyc/db/plain';
import { INGEST_POOL_SIZE, startIngest } from './runtime.ts';

// Production entry point: ingest alone. `pnpm start` runs it beside the worker.
const service = await bootService('ingest');
// The ingest reads with plain pg: Prisma's query compiler would cost it ~60 MB.
const sql = pgSql(service.databaseUrl, INGEST_POOL_SIZE);
const ingest = await startIngest(service.config, sql, service.registry);
await serveUntilSignal(service, ingest.readiness, async () => {
  await ingest.stop();
  await sql.close();
});
