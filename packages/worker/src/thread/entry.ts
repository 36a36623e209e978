import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { startTracingIfConfigured, tracing } from '@kyc/runtime';
import { Registry } from 'prom-client';
import type { FromThread, ThreadData, ToThread } from './protocol.ts';

// The worker thread of `pnpm start` on PostgreSQL: the same worker as
// `pnpm start:worker`, on its own event loop, so applying events does not wait
// behind intake's HTTP work on the main thread (docs/benchmarks.md).

function threadPort(): MessagePort {
  if (!parentPort) throw new Error('the worker thread entry runs only as a worker thread (startWorkerThread)');
  return parentPort;
}

const port = threadPort();
const { config, databaseUrl } = workerData as ThreadData;
const send = (message: FromThread) => port.postMessage(message);
// No default process metrics here: the main thread reports the process.
const registry = new Registry();
// A thread has its own modules: tracing starts here too (the environment is the process's), before pg is loaded.
await startTracingIfConfigured('kyc-worker', () => import('@kyc/tracing'));
const { startWorkerOnPostgres } = await import('../on-postgres.ts');
const worker = startWorkerOnPostgres(config, databaseUrl, registry);

port.on('message', (message: ToThread) => {
  if (message.type === 'metrics') {
    void registry.getMetricsAsJSON().then((metrics) => send({ type: 'metrics', id: message.id, metrics }));
    return;
  }
  void worker
    .stop()
    .then(() => tracing()?.shutdown())
    .then(
      () => send({ type: 'stopped' }),
      (error: unknown) => send({ type: 'stopped', error: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => port.close());
});
send({ type: 'started' });
