import { counter, dependencyErrors, gauge, histogram } from '@kyc/contracts';
import type { Registry } from 'prom-client';
import type { EventQueue } from './event-enqueuer.ts';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** Intake metrics; queue depth is read from Redis when scraped. */
export function createIngestMetrics(registry: Registry, queue: EventQueue) {
  gauge(registry, {
    name: 'kyc_queue_jobs',
    help: 'Jobs in the events queue by state (read at scrape time)',
    labelNames: ['state'],
    async collect() {
      try {
        const counts = await queue.getJobCounts(...STATES);
        for (const state of STATES) this.set({ state }, counts[state] ?? 0);
      } catch {
        dependencyErrors(registry).redis.inc({ component: 'metrics' });
      }
    },
  });
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
    ...dependencyErrors(registry),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
