import { queueTelemetry, type RedisClient } from '@kyc/runtime';
import { type DefaultJobOptions, Queue } from 'bullmq';
import { notifyPolicy } from './notification-jobs.ts';
import { QUEUES, RETENTION, retryPolicy } from './queues.ts';

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** The settings a queue's job defaults are made from. */
export type JobPolicyConfig = { JOB_ATTEMPTS: number; JOB_BACKOFF_MS: number; NOTIFY_ATTEMPTS: number; NOTIFY_BACKOFF_MS: number };

// Exponential with jitter everywhere: a database or receiver back from an outage
// is not hit by every retry at once.
const backoff = (delay: number) => ({ type: 'exponential', delay, jitter: 0.5 }) as const;
const retained = { removeOnComplete: RETENTION.completed, removeOnFail: RETENTION.failed } as const;

/**
 * Each queue's job options, set once on the queue (BullMQ's `defaultJobOptions`)
 * so that every producer adds with the same attempts, backoff and retention and
 * a job's own options say only what is its own (its id, its trace).
 */
export function jobDefaults(name: QueueName, config: JobPolicyConfig): DefaultJobOptions {
  switch (name) {
    case QUEUES.sumsubEvents: {
      const retry = retryPolicy(config);
      return { attempts: retry.attempts, backoff: backoff(retry.backoffMs), ...retained };
    }
    case QUEUES.notifications: {
      const policy = notifyPolicy(config);
      return { attempts: policy.attempts, backoff: backoff(policy.backoffMs), ...retained };
    }
    case QUEUES.sumsubApi:
      // 5xx and timeouts: 2 s doubling, eight attempts (about eight minutes). 429 waits
      // without spending an attempt; 401/403 fail at once.
      return { attempts: 8, backoff: backoff(2_000), ...retained };
    case QUEUES.erasure:
      // The id of an erased person, no more: finished erasure jobs go at once.
      return { attempts: 10, backoff: backoff(1_000), removeOnComplete: true, removeOnFail: RETENTION.failed };
  }
}

export type OpenQueueOptions = {
  connection: RedisClient;
  /** The key prefix: QUEUE_PREFIX, or an event shard's. */
  prefix: string;
  config: JobPolicyConfig;
};

/**
 * The one way a queue is opened, by producers and workers alike: tracing when it
 * is on, the queue's job defaults, and an error listener. Errors are reported by
 * /readyz and as 503s (or by the worker's own connection), never as crashes: an
 * EventEmitter's unheard 'error' would end the process.
 */
export function openQueue<Data = unknown, Result = unknown, Name extends string = string>(
  name: QueueName,
  { connection, prefix, config }: OpenQueueOptions,
): Queue<Data, Result, Name> {
  const queue = new Queue<Data, Result, Name>(name, {
    ...queueTelemetry(),
    connection,
    prefix,
    defaultJobOptions: jobDefaults(name, config),
  });
  queue.on('error', () => undefined);
  return queue;
}
