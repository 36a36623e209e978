import { Worker } from 'node:worker_threads';
import type { CombinedRegistry, Config } from '@kyc/runtime';
import type { Logger } from 'pino';
import { type FromThread, type Metrics, type ThreadData, type ToThread, WORKER_THREAD_HEAP } from './protocol.ts';

// The main thread's side of `pnpm start`'s worker thread. This file imports
// neither Prisma nor BullMQ: on PostgreSQL the main thread runs intake only.

export type WorkerThread = { stop(): Promise<void> };

export type WorkerThreadOptions = {
  config: Config;
  databaseUrl: string;
  log: Logger;
  /** The process's registry: the thread's metrics join it at scrape time. */
  registry: CombinedRegistry;
  /** The thread ended without stop() (it crashed): the caller decides what the process does. */
  onLost: (reason: string) => void;
};

const METRICS_TIMEOUT_MS = 5_000;

/**
 * Built: dist/thread/entry.js. From source (`pnpm dev`, tsx): entry.ts, loaded
 * through tsx's loader, which must be registered in the thread itself.
 */
function threadEntry(): { filename: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { filename: new URL('./entry.js', import.meta.url), eval: false };
  const entry = JSON.stringify(new URL('./entry.ts', import.meta.url).href);
  return { filename: `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, eval: true };
}

type Pending = { resolve: (metrics: Metrics) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/** Asks the thread for its metrics; a thread that does not answer in time fails that request only. */
function metricsRequests(thread: Worker) {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  /** Takes request `id` out of the waiting ones (undefined when it already ended). */
  const take = (id: number) => {
    const request = pending.get(id);
    if (request) clearTimeout(request.timer);
    pending.delete(id);
    return request;
  };
  return {
    request(): Promise<Metrics> {
      const id = nextId++;
      return new Promise<Metrics>((resolve, reject) => {
        const timeout = new Error(`the worker thread did not report its metrics within ${METRICS_TIMEOUT_MS} ms`);
        pending.set(id, { resolve, reject, timer: setTimeout(() => take(id)?.reject(timeout), METRICS_TIMEOUT_MS) });
        thread.postMessage({ type: 'metrics', id } satisfies ToThread);
      });
    },
    answer(id: number, metrics: Metrics) {
      take(id)?.resolve(metrics);
    },
    failAll(reason: string) {
      for (const id of [...pending.keys()]) take(id)?.reject(new Error(reason));
    },
  };
}

/**
 * Runs the worker (`startWorker`) in a worker thread with the worker process's
 * heap limits, and resolves once it consumes its queues. stop() asks it to
 * finish its active jobs and close its connections, as SIGTERM does for
 * `pnpm start:worker`, then ends the thread.
 */
export function startWorkerThread({ config, databaseUrl, log, registry, onLost }: WorkerThreadOptions): Promise<WorkerThread> {
  const { filename, eval: evaluate } = threadEntry();
  const thread = new Worker(filename, {
    eval: evaluate,
    workerData: { config, databaseUrl } satisfies ThreadData,
    resourceLimits: WORKER_THREAD_HEAP,
    // V8's heap flags are per process and refused by a thread; the rest (export conditions) pass on.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--max-')),
  });
  const metrics = metricsRequests(thread);
  let started = false;
  let stopping = false;
  let onStopped: ((message: FromThread & { type: 'stopped' }) => void) | undefined;

  return new Promise<WorkerThread>((resolve, reject) => {
    thread.on('message', (message: FromThread) => {
      if (message.type === 'metrics') metrics.answer(message.id, message.metrics);
      else if (message.type === 'stopped') onStopped?.(message);
      else {
        started = true;
        registry.addSource(() => metrics.request());
        resolve({ stop });
      }
    });
    thread.on('error', (error) => {
      log.error({ err: error }, 'worker thread failed');
      if (!started) reject(error);
    });
    thread.on('exit', (code) => {
      metrics.failAll('the worker thread has ended');
      if (!started) reject(new Error(`the worker thread ended before it started (exit code ${code})`));
      else if (!stopping) onLost(`the worker thread ended unexpectedly (exit code ${code})`);
    });
  });

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    const ended = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    const stopped = new Promise<FromThread & { type: 'stopped' }>((resolve) => (onStopped = resolve));
    thread.postMessage({ type: 'stop' } satisfies ToThread);
    const outcome = await Promise.race([stopped, ended]);
    if (outcome?.error) log.error({ err: outcome.error }, 'worker thread stopped with an error');
    // Its own shutdown is done (or it already ended): nothing is left to finish.
    await thread.terminate();
  }
}
