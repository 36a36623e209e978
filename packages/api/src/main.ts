import { bootService, serveUntilSignal } from '@kyc/contracts';
import { pgSql } from '@kyc/db/plain';
import { API_POOL_SIZE, startApi } from './runtime.ts';

// Production entry point: the read API, admin routes, dashboard and docs. Intake is
// the ingest's (`pnpm start:ingest`); `pnpm start` serves both on one port.
const service = await bootService('api');
// Plain pg: Prisma's query compiler would cost the process ~60 MB.
const sql = pgSql(service.databaseUrl, API_POOL_SIZE);
const api = await startApi(service.config, sql, service.registry);
await serveUntilSignal(service, api.readiness, async () => {
  await api.stop();
  await sql.close();
});
