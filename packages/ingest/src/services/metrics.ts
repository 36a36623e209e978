import { counter, dependencyErrors, gauge, registerQueueGauges, tracedHistogram } from '@kyc/runtime';
import { QUEUES } from '@kyc/jobs';
import type { Registry } from 'prom-client';
import type { EventQueues } from '@kyc/jobs';

/** Intake metrics, and the gauges of the event queue's shards. */
export function createIngestMetrics(registry: Registry, queues: EventQueues) {
  // The label is the queue's name, as the dashboard and Redis call it.
  registerQueueGauges(registry, () => queues.all.map(({ shard, queue }) => ({ label: QUEUES.sumsubEvents, shard, queue })));
  return {
    received: counter(registry, {
      name: 'kyc_webhooks_received_total',
      help: 'Webhook deliveries by outcome, digest algorithm and Sumsub account',
      labelNames: ['outcome', 'algorithm', 'account'],
    }),
    types: counter(registry, {
      name: 'kyc_webhook_types_total',
      help: 'Verified deliveries by Sumsub event type (documented types by name, anything else as other) and account',
      labelNames: ['type', 'account'],
    }),
    latency: tracedHistogram(registry, {
      name: 'kyc_webhook_ingest_duration_seconds',
      help: 'Time to verify, validate, enqueue and answer a webhook, by outcome and Sumsub account',
      labelNames: ['outcome', 'account'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    lastAccepted: gauge(registry, {
      name: 'kyc_webhook_last_accepted_timestamp_seconds',
      help: 'When this process last accepted a verified webhook (stored or a duplicate), by Sumsub account (SUMSUB_ACCOUNTS name)',
      labelNames: ['account'],
    }),
    ...dependencyErrors(registry),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
