import { counter, histogram } from '@kyc/runtime';
import type { Registry } from 'prom-client';

// Per endpoint: the label is the endpoint's id (its URL may carry a token).
export function createNotifyMetrics(registry: Registry) {
  return {
    attempts: counter(registry, {
      name: 'kyc_notifications_total',
      help: 'Notification attempts by endpoint and outcome (delivered, failed: will retry, given_up, disabled: 410 Gone)',
      labelNames: ['endpoint', 'outcome'],
    }),
    latency: histogram(registry, {
      name: 'kyc_notification_latency_seconds',
      help: 'Time for an endpoint to answer one notification (any answer, or the timeout)',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    lag: histogram(registry, {
      name: 'kyc_notification_lag_seconds',
      help: 'From the change being recorded to its notification being delivered, by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
    }),
    relayed: counter(registry, {
      name: 'kyc_notifications_relayed_total',
      help: 'Deliveries queued by the outbox relay (new heads) and by its sweep (re-queued heads)',
      labelNames: ['by'],
    }),
  };
}

export type NotifyMetrics = ReturnType<typeof createNotifyMetrics>;
