import { counter, histogram } from '@kyc/runtime';
import type { Registry } from 'prom-client';

export function createSumsubMetrics(registry: Registry) {
  return {
    requests: counter(registry, {
      name: 'kyc_sumsub_api_requests_total',
      help: "Calls to Sumsub's API by call and outcome (ok, rate_limited, unavailable, unauthorized, not_found, rejected)",
      labelNames: ['call', 'outcome'],
    }),
    duration: histogram(registry, {
      name: 'kyc_sumsub_api_duration_seconds',
      help: "Time Sumsub's API took to answer, by call",
      labelNames: ['call'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    documents: counter(registry, {
      name: 'kyc_documents_fetched_total',
      help: 'Document-result fetches by outcome (stored, older: a newer review kept, no_review, erased)',
      labelNames: ['outcome'],
    }),
    clarifications: counter(registry, {
      name: 'kyc_clarifications_fetched_total',
      help: 'Rejection-clarification fetches by outcome (stored, older: a newer review kept, no_review, no_applicant)',
      labelNames: ['outcome'],
    }),
    reconciled: counter(registry, {
      name: 'kyc_reconciled_total',
      help: 'Applicants reconciled with Sumsub, by outcome (updated, unchanged, not_found)',
      labelNames: ['outcome'],
    }),
  };
}

export type SumsubMetrics = ReturnType<typeof createSumsubMetrics>;
