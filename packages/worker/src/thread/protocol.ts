import type { Config } from '@kyc/runtime';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

// The messages between `pnpm start`'s main thread and its worker thread. The
// thread owns its BullMQ workers, database pools and metrics registry (a
// prom-client registry lives in one thread); the main thread asks for metrics at
// scrape time and for a graceful stop at shutdown.

export type ThreadData = { config: Config; databaseUrl: string };

export type Metrics = MetricObjectWithValues<MetricValue<string>>[];

export type ToThread = { type: 'metrics'; id: number } | { type: 'stop' };

export type FromThread = { type: 'started' } | { type: 'metrics'; id: number; metrics: Metrics } | { type: 'stopped'; error?: string };

/**
 * The thread's V8 heap, as `pnpm start:worker`'s flags set it for a worker
 * process (--max-semi-space-size=16 --max-old-space-size=128; V8's young
 * generation is three semi-spaces). A test holds the two together.
 */
export const WORKER_THREAD_HEAP = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 128 } as const;
