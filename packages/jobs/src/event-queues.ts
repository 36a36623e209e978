import type { Config, RedisClient } from '@kyc/runtime';
import type { Queue } from 'bullmq';
import { openQueue } from './open-queue.ts';
import { eventQueueLayout, type JOB_NAMES, type QueueJobs, QUEUES, shardKeyOf } from './queues.ts';
import { shardOf } from './shards.ts';

export type EventQueue = Queue<QueueJobs[typeof QUEUES.sumsubEvents]['data'], unknown, typeof JOB_NAMES.applyEvent>;

/** One shard's queue and its label ("0", "1"…, or "previous-0"… while the shard count changes). */
export type ShardedQueue = { shard: string; queue: EventQueue };

export type EventQueues = {
  /** Where intake writes, by shard index. */
  current: readonly ShardedQueue[];
  /** Every queue: current and draining shards (metrics, the dashboard, readiness). */
  all: readonly ShardedQueue[];
  /** The queue an event (or an applicant's events) goes to. */
  queueFor(event: { eventId: string; payload: { applicantId?: string | undefined } }): EventQueue;
  close(): Promise<void>;
};

/** The event queue's shards on one producer connection. */
export function openEventQueues(config: Config, connection: RedisClient): EventQueues {
  const layout = eventQueueLayout(config);
  const open = (shard: string, prefix: string): ShardedQueue => {
    const queue: EventQueue = openQueue(QUEUES.sumsubEvents, { connection, prefix, config });
    return { shard, queue };
  };
  const current = layout.current.map((q) => open(q.shard, q.prefix));
  const all = [...current, ...layout.draining.map((q) => open(q.shard, q.prefix))];
  return {
    current,
    all,
    queueFor: (event) => (current[shardOf(shardKeyOf(event), current.length)] as ShardedQueue).queue,
    async close() {
      await Promise.all(all.map(({ queue }) => queue.close()));
    },
  };
}
