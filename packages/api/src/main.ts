import { bootService, serveUntilSignal, startTracingIfConfigured } from '@kyc/runtime';

// Production entry point: the read API, admin routes, dashboard and docs. Intake is
// the ingest's (`pnpm start:ingest`); `pnpm start` serves both on one port.
// Tracing starts before pg is loaded (its instrumentation patches it on load).
await startTracingIfConfigured('kyc-api', () => import('@kyc/tracing'));
const { databaseDependency, pgSql } = await import('@kyc/db/plain');
const { API_POOL_SIZE, startApi } = await import('./runtime.ts');
// Nothing listens (and nothing says it does) until Redis and the database answer.
const service = await bootService('api', { database: databaseDependency });
// Plain pg: Prisma's query compiler would cost the process ~60 MB.
const sql = pgSql(service.databaseUrl, API_POOL_SIZE);
const api = await startApi(service.config, sql, service.registry);
await serveUntilSignal(service, api.readiness, async () => {
  await api.stop();
  await sql.close();
});
