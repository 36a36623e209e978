import { counter, dependencyErrors, gauge, histogram } from '@kyc/contracts';
import type { Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { EventQueues } from '@kyc/jobs';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** A queue as the queue gauges see it: a name for the `queue` label and its shard. */
export type ObservedQueue = { label: string; shard: string; queue: Queue };

/**
 * Queue depth by state and lag (the age of the oldest waiting job), per queue and
 * shard, read from Redis when scraped. The ingest exports them; workers do not
 * (a sum over processes would count every queue twice).
 */
export function registerQueueGauges(registry: Registry, queues: () => readonly ObservedQueue[]): void {
  const failed = () => dependencyErrors(registry).redis.inc({ component: 'metrics' });
  gauge(registry, {
    name: 'kyc_queue_jobs',
    help: 'Jobs by queue, shard and state (read at scrape time)',
    labelNames: ['queue', 'shard', 'state'],
    async collect() {
      await Promise.all(
        queues().map(async ({ label, shard, queue }) => {
          try {
            const counts = await queue.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: label, shard, state }, counts[state] ?? 0);
          } catch {
            failed();
          }
        }),
      );
    },
  });
  gauge(registry, {
    name: 'kyc_queue_lag_seconds',
    help: 'Age of the oldest waiting job, by queue and shard (0 when none waits)',
    labelNames: ['queue', 'shard'],
    async collect() {
      await Promise.all(
        queues().map(async ({ label, shard, queue }) => {
          try {
            const [oldest] = await queue.getWaiting(0, 0);
            this.set({ queue: label, shard }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
          } catch {
            failed();
          }
        }),
      );
    },
  });
}

/** Accounts tracked by name at most; any further one is counted as `other`. */
export const MAX_ACCOUNTS = 32;

/**
 * The `account` label of a verified webhook: Sumsub's clientId (the account that
 * sent it; not personal data), limited to a safe alphabet and to MAX_ACCOUNTS
 * names per process, so a label never grows without bound.
 */
export function accountLabeler(max = MAX_ACCOUNTS): (clientId: string | null | undefined) => string {
  const seen = new Set<string>();
  return (clientId) => {
    if (!clientId || !/^[A-Za-z0-9_.-]{1,64}$/.test(clientId)) return 'unknown';
    if (seen.has(clientId)) return clientId;
    if (seen.size >= max) return 'other';
    seen.add(clientId);
    return clientId;
  };
}

/** Intake metrics, and the gauges of the event queue's shards. */
export function createIngestMetrics(registry: Registry, queues: EventQueues) {
  registerQueueGauges(registry, () => queues.all.map(({ shard, queue }) => ({ label: 'events', shard, queue })));
  return {
    received: counter(registry, {
      name: 'kyc_webhooks_received_total',
      help: 'Webhook deliveries by outcome and digest algorithm',
      labelNames: ['outcome', 'algorithm'],
    }),
    types: counter(registry, {
      name: 'kyc_webhook_types_total',
      help: 'Verified deliveries by Sumsub event type (documented types by name, anything else as other)',
      labelNames: ['type'],
    }),
    latency: histogram(registry, {
      name: 'kyc_webhook_ingest_duration_seconds',
      help: 'Time to verify, validate, enqueue and answer a webhook',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    lastAccepted: gauge(registry, {
      name: 'kyc_webhook_last_accepted_timestamp_seconds',
      help: 'When this process last accepted a verified webhook (stored or a duplicate), by Sumsub account (clientId)',
      labelNames: ['account'],
    }),
    account: accountLabeler(),
    ...dependencyErrors(registry),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
