import {
  type EventJob,
  eventJobOptions,
  JOB_NAMES,
  type ParsedWebhook,
  type QueueJobs,
  type QUEUES,
  type RetryPolicy,
} from '@kyc/contracts';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailable } from '../errors.ts';
import { withTimeout } from './timeout.ts';

export type EventQueue = Queue<QueueJobs[typeof QUEUES.sumsubEvents]['data'], unknown, typeof JOB_NAMES.applyEvent>;

export type EnqueueOutcome = 'accepted' | 'duplicate';

/** The body exactly as received and the signature it came with: what the worker verifies again. */
export type SignedBody = { rawBody: string; digest: string; digestAlgorithm: string };

type Deps = { queue: EventQueue; redis: Redis; timeoutMs: number; retry: RetryPolicy; retryAfterSeconds: number };

/**
 * Puts a verified event on the queue and resolves only once Redis has stored it.
 * Anything else (Redis down, slow past timeoutMs) rejects with QueueUnavailable
 * (503, Retry-After), so the caller never acknowledges an event that is not in Redis.
 */
export function createEventEnqueuer({ queue, redis, timeoutMs, retry, retryAfterSeconds }: Deps) {
  async function store(event: ParsedWebhook, signed: SignedBody): Promise<EnqueueOutcome> {
    // BullMQ ignores a re-added jobId without saying so; a stored job means the
    // event is already safely in Redis, which is all a duplicate needs.
    if ((await redis.exists(queue.toKey(event.eventId))) === 1) return 'duplicate';
    const data: EventJob = { v: 2, eventId: event.eventId, ...signed, receivedAt: Date.now(), source: 'webhook' };
    await queue.add(JOB_NAMES.applyEvent, data, eventJobOptions(event.eventId, retry));
    return 'accepted';
  }

  return {
    async enqueue(event: ParsedWebhook, signed: SignedBody): Promise<EnqueueOutcome> {
      try {
        return await withTimeout(store(event, signed), timeoutMs, 'Redis');
      } catch (error) {
        throw new QueueUnavailable(retryAfterSeconds, error);
      }
    },
  };
}

export type EventEnqueuer = ReturnType<typeof createEventEnqueuer>;
