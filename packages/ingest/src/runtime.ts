import { type Config, createRedis, type ReadinessCheck, waitUntilReady } from '@kyc/contracts';
import type { Sql } from '@kyc/db/plain';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildIngestApp } from './app.ts';
import { openNotificationQueue } from './services/notifications.ts';
import { openEventQueues } from './services/queues.ts';
import { openSumsubApiQueue } from './services/sumsub-api.ts';

/** The ingest's database connections (its reads, readiness and audit rows), plain pg. */
export const INGEST_POOL_SIZE = 5;

export type IngestRuntime = { app: FastifyInstance; url: string; readiness: ReadinessCheck; stop: () => Promise<void> };

/** Opens the producer connection and the shards' queues, builds the app and listens. stop() drains in order. */
export async function startIngest(config: Config, sql: Sql, registry: Registry): Promise<IngestRuntime> {
  const redis = createRedis(config, 'producer');
  redis.on('error', () => undefined); // reported by /readyz and as 503s, not as crashes
  const queues = openEventQueues(config, redis);
  const notifications = openNotificationQueue(config, redis);
  const sumsub = config.sumsubApi ? openSumsubApiQueue(config, redis) : undefined;
  const app = await buildIngestApp({ config, queues, notifications, sumsub, redis, sql, registry });
  if (!(await waitUntilReady(redis, 5_000))) app.log.warn('Redis is not reachable yet: webhooks get 503 until it is');
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  return {
    app,
    url,
    readiness: app.readiness,
    async stop() {
      await app.close(); // stops accepting, waits for in-flight requests
      await queues.close();
      await notifications.queue.close();
      await sumsub?.queue.close();
      redis.disconnect();
    },
  };
}
