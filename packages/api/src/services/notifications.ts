import type { Config, RedisClient } from '@kyc/runtime';
import { type DeliveryHead, deliveryJobs, openQueue, QUEUES } from '@kyc/jobs';
import type { Queue } from 'bullmq';

export type NotificationQueue = {
  queue: Queue;
  /** Queues deliveries that became heads (a replay); an existing job makes its add a no-op. */
  enqueue(heads: readonly DeliveryHead[]): Promise<void>;
};

/** The notifications queue on the producer connection: the dashboard shows it, replay writes to it. */
export function openNotificationQueue(config: Config, connection: RedisClient): NotificationQueue {
  const queue = openQueue(QUEUES.notifications, { connection, prefix: config.QUEUE_PREFIX, config });
  return {
    queue,
    async enqueue(heads) {
      if (heads.length > 0) await queue.addBulk(deliveryJobs(heads));
    },
  };
}
