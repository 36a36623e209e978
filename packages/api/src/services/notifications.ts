import { type Config, type RedisClient, queueTelemetry } from '@kyc/runtime';
import { type DeliveryHead, deliveryJobs, notifyPolicy, QUEUES } from '@kyc/jobs';
import { Queue } from 'bullmq';

export type NotificationQueue = {
  queue: Queue;
  /** Queues deliveries that became heads (a replay); an existing job makes its add a no-op. */
  enqueue(heads: readonly DeliveryHead[]): Promise<void>;
};

/** The notifications queue on the producer connection: the dashboard shows it, replay writes to it. */
export function openNotificationQueue(config: Config, connection: RedisClient): NotificationQueue {
  const queue = new Queue(QUEUES.notifications, { ...queueTelemetry(), connection, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => undefined); // reported by /readyz, not as crashes
  const policy = notifyPolicy(config);
  return {
    queue,
    async enqueue(heads) {
      if (heads.length > 0) await queue.addBulk(deliveryJobs(heads, policy));
    },
  };
}
