import {
  type EventJob,
  eventJobOptions,
  isCluster,
  JOB_NAMES,
  type ParsedWebhook,
  type RedisClient,
  type RetryPolicy,
} from '@kyc/contracts';
import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { QueueUnavailable } from '../errors.ts';
import type { EventQueues } from './queues.ts';
import { withTimeout } from './timeout.ts';

export type EnqueueOutcome = 'accepted' | 'duplicate';

/** The body exactly as received and the signature it came with: what the worker verifies again. */
export type SignedBody = { rawBody: string; digest: string; digestAlgorithm: string };

type Deps = {
  queues: EventQueues;
  redis: RedisClient;
  timeoutMs: number;
  retry: RetryPolicy;
  retryAfterSeconds: number;
  /** REDIS_REPLICA_ACKS: replicas that must hold a job before it is acknowledged. */
  replicaAcks: number;
};

/** The connection to the master that holds `key` (the one BullMQ's write went through). */
function masterFor(redis: RedisClient, key: string): Redis {
  if (!isCluster(redis)) return redis;
  const owner = redis.slots[calculateSlot(key)]?.[0];
  const node = redis.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) throw new Error(`no master known for the slot of ${key}`);
  return node;
}

/**
 * Puts a verified event on its shard's queue and resolves only once Redis has
 * stored it (and, with REDIS_REPLICA_ACKS, once that many replicas confirmed it:
 * Redis replication is asynchronous, so a master that dies before replicating
 * would take an acknowledged job with it). Anything else (Redis down, slow past
 * timeoutMs, too few replicas) rejects with QueueUnavailable (503, Retry-After),
 * so the caller never acknowledges an event that is not safely stored.
 */
export function createEventEnqueuer({ queues, redis, timeoutMs, retry, retryAfterSeconds, replicaAcks }: Deps) {
  async function replicated(key: string, deadline: number): Promise<void> {
    if (replicaAcks === 0) return;
    const confirmed = await masterFor(redis, key).wait(replicaAcks, Math.max(1, deadline - Date.now()));
    if (confirmed < replicaAcks) throw new Error(`${confirmed} of ${replicaAcks} replicas confirmed the job`);
  }

  async function store(event: ParsedWebhook, signed: SignedBody, deadline: number): Promise<EnqueueOutcome> {
    const queue = queues.queueFor(event);
    const key = queue.toKey(event.eventId);
    // BullMQ ignores a re-added jobId without saying so; a stored job means the
    // event is already in Redis. A duplicate is confirmed like a first delivery:
    // the first one's acknowledgement may not have replicated.
    let outcome: EnqueueOutcome = 'duplicate';
    if ((await redis.exists(key)) === 0) {
      const data: EventJob = { v: 2, eventId: event.eventId, ...signed, receivedAt: Date.now(), source: 'webhook' };
      await queue.add(JOB_NAMES.applyEvent, data, eventJobOptions(event.eventId, retry));
      outcome = 'accepted';
    }
    await replicated(key, deadline);
    return outcome;
  }

  return {
    async enqueue(event: ParsedWebhook, signed: SignedBody): Promise<EnqueueOutcome> {
      try {
        return await withTimeout(store(event, signed, Date.now() + timeoutMs), timeoutMs, 'Redis');
      } catch (error) {
        throw new QueueUnavailable(retryAfterSeconds, error);
      }
    },
  };
}

export type EventEnqueuer = ReturnType<typeof createEventEnqueuer>;
