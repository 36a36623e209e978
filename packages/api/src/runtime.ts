import { apiAccounts, type Config, createRedis, type ReadinessCheck, type RedisClient } from '@kyc/runtime';
import { QUEUES, openEventQueues, openQueue } from '@kyc/jobs';
import type { Sql } from '@kyc/db/plain';
import { reachableUrl } from '@kyc/http';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { type ApiDeps, buildApiApp } from './app.ts';
import { openNotificationQueue } from './services/notifications.ts';
import { openSumsubApiQueue } from './services/sumsub-api.ts';

/** The api's database connections (its reads, readiness and audit rows), plain pg. */
export const API_POOL_SIZE = 5;

export type ApiRuntime = { app: FastifyInstance; url: string; readiness: ReadinessCheck; stop: () => Promise<void> };

/** The queues the api writes and shows, on one producer connection; close() closes them and the connection. */
export function openApiQueues(config: Config): Omit<ApiDeps, 'config' | 'sql' | 'registry'> & { close(): Promise<void> } {
  const redis: RedisClient = createRedis(config, 'producer');
  redis.on('error', () => undefined); // reported by /readyz, not as crashes
  const queues = openEventQueues(config, redis);
  const notifications = openNotificationQueue(config, redis);
  const sumsub = apiAccounts(config).size > 0 ? openSumsubApiQueue(config, redis) : undefined;
  const lifecycle = openQueue(QUEUES.erasure, { connection: redis, prefix: config.QUEUE_PREFIX, config });
  return {
    redis,
    queues,
    notifications,
    sumsub,
    lifecycle,
    async close() {
      await queues.close();
      await notifications.queue.close();
      await sumsub?.close();
      await lifecycle.close();
      redis.disconnect();
    },
  };
}

/** Opens the api's queues, builds the app and listens. stop() drains in order. */
export async function startApi(config: Config, sql: Sql, registry: Registry): Promise<ApiRuntime> {
  const opened = openApiQueues(config);
  const app = await buildApiApp({ config, sql, registry, ...opened });
  const url = reachableUrl(await app.listen({ port: config.PORT, host: config.HOST }));
  return {
    app,
    url,
    readiness: app.readiness,
    async stop() {
      await app.close(); // stops accepting, waits for in-flight requests
      await opened.close();
    },
  };
}
