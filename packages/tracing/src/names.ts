/** Each process's service.name unless OTEL_SERVICE_NAME sets one. */
export const SERVICE_NAMES = {
  ingest: 'kyc-ingest',
  api: 'kyc-api',
  worker: 'kyc-worker',
  /** `pnpm start`'s main thread (intake and api; its worker thread is kyc-worker). */
  standalone: 'kyc-webhooks',
} as const;
