import { bootService, serveUntilSignal, startTracingIfConfigured } from '@kyc/runtime';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
// Its only HTTP surface is the operations port (METRICS_PORT): metrics, liveness, readiness.
// Tracing starts before pg is loaded (its instrumentation patches it on load).
await startTracingIfConfigured('kyc-worker', () => import('@kyc/tracing'));
const { databaseDependency } = await import('@kyc/db/plain');
const { startWorkerOnPostgres } = await import('./on-postgres.ts');
// No job is taken (and no line says the worker started) until Redis and the database answer.
const service = await bootService('worker', { database: databaseDependency });
const worker = startWorkerOnPostgres(service.config, service.databaseUrl, service.registry);
await serveUntilSignal(service, worker.readiness, worker.stop);
