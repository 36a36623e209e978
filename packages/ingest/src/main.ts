import { bootService, serveUntilSignal, startTracingIfConfigured } from '@kyc/runtime';
import { startIngest } from './runtime.ts';

// Production entry point: intake alone, with no database (DATABASE_URL is ignored).
// `pnpm start` serves it beside the API and runs the worker.
await startTracingIfConfigured('kyc-ingest', () => import('@kyc/tracing'));
// Nothing listens until Redis answers (a webhook acknowledged is one stored in Redis).
const service = await bootService('ingest', { database: 'none' });
const ingest = await startIngest(service.config, service.registry);
await serveUntilSignal(service, ingest.readiness, () => ingest.stop());
