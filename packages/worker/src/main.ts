import { bootService, serveUntilSignal } from '@kyc/contracts';
import { startWorkerOnPostgres } from './on-postgres.ts';

// Production entry point: the worker alone. `pnpm start` runs it beside ingest.
// Its only HTTP surface is the operations port (METRICS_PORT): metrics, liveness, readiness.
const service = await bootService('worker');
const worker = startWorkerOnPostgres(service.config, service.databaseUrl, service.registry);
await serveUntilSignal(service, worker.readiness, worker.stop);
