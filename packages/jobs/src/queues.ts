import { type Static, Type } from '@sinclair/typebox';
import { shardPrefixes } from './shards.ts';
import { ACCOUNT_NAME_PATTERN } from '@kyc/runtime';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/** Queue names, job names and retention: one frozen place that producer and worker share. */
export const QUEUES = Object.freeze({
  sumsubEvents: 'sumsub-events',
  /** Deliveries of notifications to the client's endpoints (one queue, not sharded: far fewer jobs). */
  notifications: 'notifications',
  /** Calls to Sumsub's API, under one rate limiter (SUMSUB_API_RATE). */
  sumsubApi: 'sumsub-api',
  /**
   * Erasures (asked by Sumsub's deletion events) and the retention scheduler. Its
   * Redis name stays 'lifecycle', the name it had before: pending erasures and the
   * scheduler are stored under it.
   */
  erasure: 'lifecycle',
} as const);

export const JOB_NAMES = Object.freeze({
  applyEvent: 'sumsub.apply-event',
  deliverNotification: 'notify.deliver',
  fetchDocuments: 'sumsub.fetch-documents',
  fetchClarification: 'sumsub.fetch-clarification',
  reconcileApplicant: 'sumsub.reconcile-applicant',
  reconcileStale: 'sumsub.reconcile-stale',
  // Job names are stored with each job: the erasure queue's keep their first names.
  eraseApplicant: 'lifecycle.erase-applicant',
  purge: 'lifecycle.purge',
} as const);

// Finished jobs are kept by age *and* count so a burst cannot fill Redis. The
// queue-level dedup window is only this retention; PostgreSQL's unique event id is
// the guarantee.
export const RETENTION = Object.freeze({
  completed: Object.freeze({ age: 24 * 60 * 60, count: 50_000 }),
  failed: Object.freeze({ age: 14 * 24 * 60 * 60, count: 100_000 }),
});

/**
 * What the worker needs from a delivery: the raw body exactly as received, and
 * the digest and algorithm it arrived with. The worker verifies the HMAC again
 * before applying: a job that anyone with Redis or dashboard access could add
 * carries no authority of its own. `account`: the Sumsub account whose webhook
 * received it (its secrets verify it, its ownership rules apply); absent on jobs
 * queued before accounts existed, which are the default account's.
 */
export const EventJobSchema = Type.Object(
  {
    v: Type.Literal(2),
    eventId: Type.String({ minLength: 1 }),
    rawBody: Type.String(),
    digest: Type.String(),
    digestAlgorithm: Type.String(),
    receivedAt: Type.Integer(),
    source: Type.Union([Type.Literal('webhook'), Type.Literal('reconcile')]),
    account: Type.Optional(Type.String({ pattern: ACCOUNT_NAME_PATTERN })),
  },
  { additionalProperties: false },
);
export type EventJob = Static<typeof EventJobSchema>;
export const eventJobCheck = TypeCompiler.Compile(EventJobSchema);

/** The typed map of queue name to job payload. */
export type QueueJobs = {
  [QUEUES.sumsubEvents]: { name: typeof JOB_NAMES.applyEvent; data: EventJob };
};

/** How often and how patiently a job is retried: built once from the configuration. */
export type RetryPolicy = { attempts: number; backoffMs: number };

export function retryPolicy(config: { JOB_ATTEMPTS: number; JOB_BACKOFF_MS: number }): RetryPolicy {
  return { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS };
}

/** Where an event job's signed body came from and when: what the worker verifies and applies. */
export type EventJobFields = Omit<EventJob, 'v'>;

/**
 * The one event job, for intake, replay and reconciliation alike. Its id is its
 * event's id: a second delivery of the event is the same job, and erasure finds
 * the job by the event ids PostgreSQL holds. Attempts, backoff and retention are
 * the queue's (openQueue); `traceMetadata` (tracing on) continues the request's trace.
 */
export function eventJob(fields: EventJobFields, traceMetadata?: string) {
  const data: EventJob = { v: 2, ...fields };
  return {
    name: JOB_NAMES.applyEvent,
    data,
    opts: { jobId: fields.eventId, ...(traceMetadata ? { telemetry: { metadata: traceMetadata } } : {}) },
  } as const;
}

/** One queue of the sharded event queue: its shard label (for metrics and the dashboard) and key prefix. */
export type ShardQueue = { shard: string; index: number; prefix: string };

/**
 * The event queue's shards: `current` (QUEUE_SHARDS, where intake writes) and
 * `draining` (the layout of QUEUE_SHARDS_PREVIOUS, which workers keep consuming
 * while the number of shards changes; see docs/deploy.md).
 */
export function eventQueueLayout(config: { QUEUE_PREFIX: string; QUEUE_SHARDS: number; QUEUE_SHARDS_PREVIOUS?: number | undefined }): {
  current: ShardQueue[];
  draining: ShardQueue[];
} {
  const current = shardPrefixes(config.QUEUE_PREFIX, config.QUEUE_SHARDS).map((prefix, index) => ({ shard: String(index), index, prefix }));
  const previous = config.QUEUE_SHARDS_PREVIOUS;
  if (previous === undefined || previous === config.QUEUE_SHARDS) return { current, draining: [] };
  const taken = new Set(current.map((q) => q.prefix));
  const draining = shardPrefixes(config.QUEUE_PREFIX, previous)
    .map((prefix, index) => ({ shard: `previous-${index}`, index, prefix }))
    .filter((q) => !taken.has(q.prefix));
  return { current, draining };
}

/** Which shard an event belongs to: by applicant, so one applicant's events share a queue. */
export function shardKeyOf(event: { eventId: string; payload: { applicantId?: string | undefined } }): string {
  return event.payload.applicantId ?? event.eventId;
}
