import { counter } from '@kyc/runtime';
import type { Registry } from 'prom-client';

export function createErasureMetrics(registry: Registry) {
  return {
    erasures: counter(registry, {
      name: 'kyc_erasures_total',
      help: 'Applicants erased, by who asked (admin, sumsub: its deletion events)',
      labelNames: ['by'],
    }),
    purged: counter(registry, {
      name: 'kyc_purged_total',
      help: 'What retention (PAYLOAD_RETENTION_DAYS, pnpm cli purge) removed: events and notifications stripped, jobs removed',
      labelNames: ['what'],
    }),
  };
}

export type ErasureMetrics = ReturnType<typeof createErasureMetrics>;
