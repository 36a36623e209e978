import { apiAdvisory, apiChecks, type ApiDeps, apiRoutes, openApiQueues, swaggerPlugin } from '@kyc/api';
import { type Config, type ReadinessCheck, readinessCheck, registerReadinessGauge, waitUntilReady } from '@kyc/runtime';
import type { Sql } from '@kyc/db/plain';
import { createHttpApp, healthRoutes, reachableUrl } from '@kyc/http';
import { intakeRoutes } from '@kyc/ingest';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export type Front = { app: FastifyInstance; url: string; readiness: ReadinessCheck; stop: () => Promise<void> };

/**
 * `pnpm start`'s one port: intake and the api side by side, each in its own
 * scope (a webhook runs none of the api's hooks), on one producer connection.
 * Ready when Redis, the database and its migrations are. Nothing here opens a
 * connection (the OpenAPI document is read from it without listening).
 */
export async function buildFrontApp(deps: ApiDeps): Promise<FastifyInstance> {
  const { config, queues, redis, registry } = deps;
  const app = await createHttpApp(config, 'ingest');
  await app.register(swaggerPlugin);
  await app.register(intakeRoutes, { config, queues, redis, registry });
  await app.register(apiRoutes, deps);
  const readiness = readinessCheck(apiChecks(deps), app.log, undefined, apiAdvisory(deps));
  app.decorate('readiness', readiness);
  registerReadinessGauge(registry, 'ingest', readiness);
  await app.register(healthRoutes, { readiness, checks: 'Redis, database and migrations' });
  return app;
}

/** Opens the queues, builds the one-port app and listens. stop() drains in order. */
export async function startFront(config: Config, sql: Sql, registry: Registry): Promise<Front> {
  const opened = openApiQueues(config);
  const app = await buildFrontApp({ config, sql, registry, ...opened });
  if (!(await waitUntilReady(opened.redis, 5_000))) app.log.warn('Redis is not reachable yet: webhooks get 503 until it is');
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
