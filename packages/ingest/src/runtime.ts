import { type Config, createRedis, type ReadinessCheck, waitUntilReady } from '@kyc/runtime';
import { reachableUrl } from '@kyc/http';
import { openEventQueues } from '@kyc/jobs';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildIngestApp } from './app.ts';

export type IngestRuntime = { app: FastifyInstance; url: string; readiness: ReadinessCheck; stop: () => Promise<void> };

/** Opens the producer connection and the shards' queues, builds the app and listens. stop() drains in order. */
export async function startIngest(config: Config, registry: Registry): Promise<IngestRuntime> {
  const redis = createRedis(config, 'producer');
  redis.on('error', () => undefined); // reported by /readyz and as 503s, not as crashes
  const queues = openEventQueues(config, redis);
  const app = await buildIngestApp({ config, queues, redis, registry });
  if (!(await waitUntilReady(redis, 5_000))) app.log.warn('Redis is not reachable yet: webhooks get 503 until it is');
  const url = reachableUrl(await app.listen({ port: config.PORT, host: config.HOST }));
  return {
    app,
    url,
    readiness: app.readiness,
    async stop() {
      await app.close(); // stops accepting, waits for in-flight requests
      await queues.close();
      redis.disconnect();
    },
  };
}
