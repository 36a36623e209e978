import type { RawConfig } from '@kyc/runtime';

/**
 * What each variable of ConfigSchema means, for docs/configuration.md (`pnpm
 * docs:generate`); a variable without an entry shows its `description` in the
 * schema, and `pnpm docs:generate` refuses a variable with neither. `shownDefault`:
 * what the reader sees as the default where the schema has none (the code
 * supplies it).
 */
export const CONFIG_MEANINGS: Partial<Record<keyof RawConfig, { meaning: string; shownDefault?: string }>> = {
  NODE_ENV: { meaning: '`production` requires the webhook secret and generates nothing' },
  PORT: { meaning: 'where the ingest, the api or `pnpm start` listens (give ingest and api different ports on one host)' },
  HOST: { meaning: 'the interface to listen on' },
  REDIS_URL: {
    meaning: 'Redis for the queue (unset: `pnpm start` may start its own)',
    shownDefault: '`redis://127.0.0.1:6379`',
  },
  REDIS_CLUSTER_NODES: {
    meaning:
      'a Redis Cluster instead: comma-separated seeds, `host:port` or `redis://user:password@host:port` (`rediss://` for TLS); not together with `REDIS_URL`; `QUEUE_PREFIX` must then contain a `{hashtag}`',
  },
  REDIS_REPLICA_ACKS: {
    meaning:
      'intake answers `2xx` only after `WAIT` confirms this many replicas hold the job (else `503`): acknowledged events survive a failover',
  },
  QUEUE_SHARDS: {
    meaning:
      'spread events over this many queues by a hash of `applicantId`, each with its own hashtag (on a cluster, on different masters)',
  },
  QUEUE_SHARDS_PREVIOUS: {
    meaning: 'while changing `QUEUE_SHARDS`: workers also drain the queues of this previous count (docs/deploy.md)',
  },
  DATABASE_URL: {
    meaning: 'PostgreSQL; required by the separate api and worker (unset: `pnpm start` uses the embedded database; the ingest uses none)',
  },
  DATABASE_READ_URL: {
    meaning: "a streaming replica of `DATABASE_URL` for the api's read routes (records, events, change feed); docs/scaling.md",
  },
  DATABASE_READ_MAX_LAG_SECONDS: { meaning: 'reads go to the primary while the replica is further behind than this' },
  SUMSUB_WEBHOOK_SECRET: {
    meaning: 'webhook secret(s), comma-separated during rotation; required in production',
    shownDefault: 'generated in development',
  },
  SUMSUB_WEBHOOK_SECRETS_RETIRED: {
    meaning: 'secrets removed from intake after a rotation, still used by the worker to verify stored events (replay)',
  },
  WEBHOOK_ALGORITHMS: { meaning: 'digest algorithms intake accepts (drop `HMAC_SHA1_HEX` to refuse SHA-1)' },
  MAX_CLOCK_SKEW_MS: { meaning: 'events dated further ahead are refused (intake `400`, worker permanent failure)' },
  API_READ_TOKEN: {
    meaning: 'bearer token for the read API; named `read` in audit lines',
    shownDefault: 'generated in development',
  },
  API_ADMIN_TOKEN: {
    meaning: 'bearer token for the admin routes (it also sees `clientComment`); named `admin` in audit lines',
    shownDefault: 'generated in development',
  },
  API_READ_TOKENS: { meaning: 'more read tokens, as comma-separated `name=token` pairs, so every action is attributable' },
  API_ADMIN_TOKENS: { meaning: 'more admin tokens, as comma-separated `name=token` pairs, so every action is attributable' },
  QUEUE_PREFIX: { meaning: 'prefix of every queue key; the `{hashtag}` keeps Redis Cluster happy' },
  MAX_BODY_BYTES: { meaning: "larger bodies get `413` (Sumsub's payloads are a few KB)" },
  REQUEST_TIMEOUT_MS: {
    meaning: 'a request (headers and body) must arrive within this; slower clients get `408` and are disconnected',
  },
  HEADERS_TIMEOUT_MS: { meaning: 'the headers must arrive within this' },
  KEEP_ALIVE_TIMEOUT_MS: { meaning: 'idle keep-alive connections close after this' },
  MAX_CONNECTIONS: { meaning: 'connections a server holds at once; more are refused' },
  LOG_LEVEL: { meaning: 'pino level' },
  ENQUEUE_TIMEOUT_MS: { meaning: 'how long intake waits for Redis before answering `503`' },
  JOB_ATTEMPTS: { meaning: 'attempts per event job before it is a dead letter' },
  JOB_BACKOFF_MS: { meaning: 'base of the exponential retry delay, with jitter' },
  WORKER_CONCURRENCY: {
    meaning: 'jobs in flight per worker process; their events are applied together, up to 128 per statement, 2 statements at once',
  },
  WORKER_LOCK_MS: { meaning: "job lock; a killed worker's job is retried after it lapses" },
  SHUTDOWN_TIMEOUT_MS: { meaning: 'grace period on SIGTERM/SIGINT' },
  METRICS_PORT: {
    meaning: "the operations port: `/metrics` without auth, `/healthz`, `/readyz` (the worker's only HTTP surface)",
  },
  METRICS_HOST: { meaning: 'where the operations port listens (an internal address, never a public one)' },
  ALLOW_UNSAFE_REDIS: { meaning: '`1` lets production start on a Redis that may evict or lose data' },
  DATA_DIR: { meaning: 'development secrets, embedded database, private Redis' },
  NOTIFY_ATTEMPTS: { meaning: 'attempts per notification before it is given up (a dead letter)' },
  NOTIFY_BACKOFF_MS: { meaning: 'first retry delay, doubling each time with jitter (12 attempts ≈ a day)' },
  NOTIFY_TIMEOUT_MS: { meaning: 'an endpoint that has not answered by then failed this attempt' },
  NOTIFY_CONCURRENCY: { meaning: 'notifications in flight per worker process' },
  NOTIFY_RELAY_INTERVAL_MS: { meaning: 'how often the outbox relay looks for committed changes' },
  NOTIFY_ALLOW_PRIVATE: {
    meaning: '`1` allows endpoints on loopback, private and link-local addresses (on-premise receivers, tests)',
  },
  SUMSUB_APP_TOKEN: {
    meaning:
      'Sumsub API token (not the webhook secret); with `SUMSUB_SECRET_KEY`, both or neither; unset: document comments and reconciliation off',
  },
  SUMSUB_SECRET_KEY: { meaning: "the Sumsub API token's secret key; both or neither with `SUMSUB_APP_TOKEN`" },
  SUMSUB_API_URL: { meaning: "Sumsub's API (https in production)" },
  SUMSUB_API_TIMEOUT_MS: { meaning: 'a call with no answer by then is retried' },
  SUMSUB_API_RATE: {
    meaning: "Sumsub's limit, never exceeded in any window by all workers together (`<n>/<duration>`, e.g. `300/5s`)",
  },
  RECONCILE_INTERVAL: {
    meaning:
      'e.g. `15m`: reconcile applicants not completed whose newest event is older than this, that often (needs the Sumsub API token)',
  },
  ERASE_ON_SUMSUB_DELETION: {
    meaning: "`1`: Sumsub's `applicantDeleted`/`applicantPersonalDataDeleted` erase the applicant here too",
  },
  PAYLOAD_RETENTION_DAYS: {
    meaning:
      'unset: payloads are kept (AML record keeping); else event payloads and raw bodies, old notification bodies and finished jobs older than this many days are stripped, hourly (docs/data-protection.md)',
  },
  TRACE_APPLICANT_IDS: {
    meaning: '`1`: spans carry the applicant id (tracing on, `OTEL_EXPORTER_OTLP_ENDPOINT`); off by default, spans carry no personal data',
  },
};
