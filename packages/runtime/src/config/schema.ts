import { type Static, Type } from '@sinclair/typebox';
import { DURATION_PATTERN } from '../duration.ts';

const Int = (min: number, max: number, def: number) => Type.Integer({ minimum: min, maximum: max, default: def });
const Url = (protocols: string, def?: string) =>
  Type.String({ pattern: `^(${protocols})://`, ...(def === undefined ? {} : { default: def }) });

/** Every environment variable either service reads, with its default. */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  PORT: Int(0, 65535, 3000),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  REDIS_URL: Type.Optional(Url('redis|rediss')),
  REDIS_CLUSTER_NODES: Type.Optional(Type.String({ minLength: 1 })),
  REDIS_REPLICA_ACKS: Int(0, 16, 0),
  QUEUE_SHARDS: Int(1, 64, 1),
  QUEUE_SHARDS_PREVIOUS: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  DATABASE_URL: Type.Optional(Url('postgres|postgresql')),
  /** A streaming replica of DATABASE_URL for the api's read routes (records, events, change feed). */
  DATABASE_READ_URL: Type.Optional(Url('postgres|postgresql')),
  /** Reads go to the primary while the replica is further behind than this. */
  DATABASE_READ_MAX_LAG_SECONDS: Type.Number({ minimum: 0, maximum: 3_600, default: 5 }),
  SUMSUB_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  SUMSUB_WEBHOOK_SECRETS_RETIRED: Type.Optional(Type.String({ minLength: 1 })),
  WEBHOOK_ALGORITHMS: Type.String({ minLength: 1, default: 'HMAC_SHA1_HEX,HMAC_SHA256_HEX,HMAC_SHA512_HEX' }),
  MAX_CLOCK_SKEW_MS: Int(0, 7 * 24 * 3_600_000, 3_600_000),
  API_READ_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  API_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  API_READ_TOKENS: Type.Optional(Type.String({ minLength: 1 })),
  API_ADMIN_TOKENS: Type.Optional(Type.String({ minLength: 1 })),
  QUEUE_PREFIX: Type.String({ minLength: 1, pattern: '^[^:\\s]+$', default: '{kyc-webhooks}' }),
  MAX_BODY_BYTES: Int(1024, 64 * 1024 * 1024, 256 * 1024),
  REQUEST_TIMEOUT_MS: Int(1000, 600_000, 10_000),
  HEADERS_TIMEOUT_MS: Int(500, 600_000, 5_000),
  KEEP_ALIVE_TIMEOUT_MS: Int(100, 600_000, 5_000),
  MAX_CONNECTIONS: Int(1, 1_000_000, 2_048),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  ENQUEUE_TIMEOUT_MS: Int(50, 30_000, 1000),
  JOB_ATTEMPTS: Int(1, 100, 10),
  JOB_BACKOFF_MS: Int(1, 3_600_000, 1000),
  /** Jobs active per worker process; their events are applied together, up to 128 per statement. */
  WORKER_CONCURRENCY: Int(1, 1000, 256),
  WORKER_LOCK_MS: Int(1000, 600_000, 30_000),
  SHUTDOWN_TIMEOUT_MS: Int(100, 600_000, 10_000),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'serve /metrics unauthenticated on this port too' })),
  METRICS_HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  ALLOW_UNSAFE_REDIS: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
  DATA_DIR: Type.String({ minLength: 1, default: '.data' }),
  // Notifications to the client's endpoints (Standard Webhooks).
  NOTIFY_ATTEMPTS: Int(1, 50, 12),
  /** First retry delay; doubling, so 12 attempts span about a day (2047 x 42 s). */
  NOTIFY_BACKOFF_MS: Int(1, 3_600_000, 42_000),
  NOTIFY_TIMEOUT_MS: Int(100, 120_000, 10_000),
  NOTIFY_CONCURRENCY: Int(1, 1000, 16),
  NOTIFY_RELAY_INTERVAL_MS: Int(10, 60_000, 200),
  NOTIFY_ALLOW_PRIVATE: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
  // Sumsub's REST API (document comments, reconciliation): off without a token.
  SUMSUB_APP_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  SUMSUB_SECRET_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SUMSUB_API_URL: Url('https|http', 'https://api.sumsub.com'),
  SUMSUB_API_TIMEOUT_MS: Int(100, 120_000, 10_000),
  /** Sumsub's limit to stay under, as requests/window (docs: 300 GET per 5 s by default). */
  SUMSUB_API_RATE: Type.String({ pattern: '^[1-9][0-9]{0,5}/[1-9][0-9]{0,8}(ms|s|m)$', default: '300/5s' }),
  RECONCILE_INTERVAL: Type.Optional(Type.String({ pattern: DURATION_PATTERN })),
  // Erasure and retention.
  ERASE_ON_SUMSUB_DELETION: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
  /** Unset: payloads are kept (AML record keeping); else stripped after this many days. */
  PAYLOAD_RETENTION_DAYS: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
  // Tracing is configured by the standard OTEL_* variables (docs/deploy.md); this one is ours.
  /** 1: spans may carry applicant ids (kyc.applicant_id, request paths); off by default. */
  TRACE_APPLICANT_IDS: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
});

export type RawConfig = Static<typeof ConfigSchema>;
