import type { RedisClient } from '@kyc/runtime';
import type { Queue } from 'bullmq';

/** Every queue that can hold a job about an applicant, by what its jobs carry. */
export type ErasureQueues = {
  /** The event queue's shards (current and draining): jobs carry the raw body. */
  events: readonly Queue[];
  /** Deliveries: jobs carry a delivery id. */
  notifications: Queue;
  /** Sumsub API calls: jobs carry the applicant id. Absent when the API is not configured. */
  sumsubApi?: Queue | undefined;
  /** A connection to the queues' Redis, for what BullMQ has no call for (its event streams). */
  redis: RedisClient;
};

export const allQueues = (queues: ErasureQueues): Queue[] => [
  ...queues.events,
  queues.notifications,
  ...(queues.sumsubApi ? [queues.sumsubApi] : []),
];
