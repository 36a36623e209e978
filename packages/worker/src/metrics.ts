import { counter, dependencyErrors, histogram, tracedHistogram } from '@kyc/runtime';
import type { Registry } from 'prom-client';

export function createWorkerMetrics(registry: Registry) {
  return {
    jobs: counter(registry, {
      name: 'kyc_jobs_total',
      help: 'Jobs finished, by outcome (applied, stale, duplicate, erased, wrong_account, retry, dead_letter) and Sumsub account',
      labelNames: ['outcome', 'account'],
    }),
    duration: tracedHistogram(registry, {
      name: 'kyc_job_duration_seconds',
      help: 'Time to apply one event to PostgreSQL, by outcome and Sumsub account',
      labelNames: ['outcome', 'account'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    attempts: histogram(registry, {
      name: 'kyc_job_attempts',
      help: 'Attempts a job took until it was applied or dead-lettered',
      buckets: [1, 2, 3, 5, 8, 13, 21],
    }),
    retries: counter(registry, {
      name: 'kyc_job_retries_total',
      help: 'Failed attempts that will be retried, by error kind',
      labelNames: ['kind'],
    }),
    deadLetters: counter(registry, {
      name: 'kyc_dead_letters_total',
      help: 'Jobs that exhausted their attempts or broke the contract, by error kind',
      labelNames: ['kind'],
    }),
    duplicates: counter(registry, { name: 'kyc_events_duplicate_total', help: 'Deliveries of events already applied (no effect)' }),
    verificationFailures: counter(registry, {
      name: 'kyc_job_verification_failures_total',
      help: 'Jobs whose body failed HMAC re-verification (not from Sumsub through intake, or signed with a removed secret)',
    }),
    erasedDeliveries: counter(registry, {
      name: 'kyc_erased_deliveries_total',
      help: 'Deliveries for erased applicants: acknowledged, counted on the tombstone, not stored',
    }),
    wrongAccount: counter(registry, {
      name: 'kyc_events_wrong_account_total',
      help: 'Events signed by a Sumsub account that does not own their applicant: kept with status wrong_account, never applied',
      labelNames: ['account'],
    }),
    stale: counter(registry, {
      name: 'kyc_events_stale_total',
      help: "Events older than the applicant's current state (applied field by field, never regressing)",
    }),
    batchSize: histogram(registry, {
      name: 'kyc_apply_batch_size',
      help: 'Events per statement the worker sends (jobs active together are applied in one round trip)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    }),
    ...dependencyErrors(registry),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
