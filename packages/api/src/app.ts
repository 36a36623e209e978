import type { Config } from '@kyc/runtime';
import {
  apiAccounts,
  type Check,
  readinessCheck,
  type RedisClient,
  redisCheck,
  registerQueueGauges,
  registerReadinessGauge,
} from '@kyc/runtime';
import { sumsubApiState } from '@kyc/sumsub-api';
import { databaseChecks, type Sql, deliveryViews } from '@kyc/db/plain';
import { createHttpApp, healthRoutes } from '@kyc/http';
import type { EventQueues } from '@kyc/jobs';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { adminGuardPlugin } from './plugins/admin-guard.ts';
import { auditPlugin } from './plugins/audit.ts';
import { authPlugin } from './plugins/auth.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { readReplicaPlugin } from './plugins/read-replica.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { dashboardRoutes } from './routes/admin/queues.ts';
import { applicantRoutes } from './routes/applicants/index.ts';
import { rejectLabelRoutes } from './routes/reject-labels.ts';
import type { NotificationQueue } from './services/notifications.ts';
import { createReplayer } from './services/replay.ts';
import { type ShownQueues, shownQueues } from './services/applicant-jobs.ts';
import type { SumsubApiQueue } from './services/sumsub-api.ts';

export type ApiDeps = {
  config: Config;
  /** The event queue's shards (replay writes to them, the dashboard shows them). */
  queues: EventQueues;
  /** Deliveries to the client's endpoints (replay writes to it, the dashboard shows it). */
  notifications: NotificationQueue;
  /** The Sumsub API queue; undefined when no API token is configured. */
  sumsub?: SumsubApiQueue | undefined;
  /** Erasures and the retention pass (the dashboard shows it; the worker writes it). */
  lifecycle?: Queue | undefined;
  redis: RedisClient;
  sql: Sql;
  registry: Registry;
};

/**
 * The read API, the change feed, every /admin route, GET /metrics (admin token) and
 * the Bull dashboard, in a scope of their own: their hooks (credentials, the
 * cross-site guard, the audit row) run on these routes and on no webhook.
 */
export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { config, queues, notifications, sumsub, sql, registry } = deps;
  const shown: ShownQueues = {
    events: queues.all.map(({ shard, queue }) => ({ queue, shard: queues.all.length > 1 ? shard : undefined })),
    notifications: notifications.queue,
    sumsubApi: sumsub?.queue,
    lifecycle: deps.lifecycle,
  };
  await app.register(authPlugin, { tokens: config.tokens, registry });
  await app.register(adminGuardPlugin);
  await app.register(auditPlugin, { sql });
  await app.register(metricsPlugin, { registry });
  // The queues the api owns; the event shards are the ingest's (a split deployment would count them twice).
  registerQueueGauges(registry, () =>
    [notifications.queue, sumsub?.queue, deps.lifecycle].flatMap((queue) => (queue ? [{ label: queue.name, shard: '0', queue }] : [])),
  );
  await app.register(readReplicaPlugin, { config, sql, registry });
  await app.register(applicantRoutes);
  await app.register(rejectLabelRoutes);
  await app.register(adminRoutes, {
    replayer: createReplayer({ sql, queues }),
    sql,
    notifications,
    sumsub,
    allowPrivateEndpoints: config.NOTIFY_ALLOW_PRIVATE === '1',
    erasureQueues: () => ({
      events: queues.all.map(({ queue }) => queue),
      notifications: notifications.queue,
      sumsubApi: sumsub?.queue,
      redis: deps.redis,
    }),
    shownQueues: shown,
  });
  await app.register(dashboardRoutes, { queues: shownQueues(shown), deliveries: (ids) => deliveryViews(sql, ids) });
}

/** What the api's /readyz requires: Redis for every queue it writes, the database and its migrations. */
export function apiChecks({ queues, notifications, sumsub, lifecycle, redis, sql }: ApiDeps): Record<string, Check> {
  const keys = [
    ...queues.all.map(({ queue }) => queue),
    notifications.queue,
    ...(sumsub ? [sumsub.queue] : []),
    ...(lifecycle ? [lifecycle] : []),
  ].map((queue) => queue.toKey('meta'));
  return { redis: redisCheck(redis, keys), ...databaseChecks(sql) };
}

/** Advisory: whether Sumsub accepts the API token (never makes the service not ready). */
export function apiAdvisory({ config, redis }: ApiDeps) {
  return { sumsubApi: () => sumsubApiState(redis, config.QUEUE_PREFIX, apiAccounts(config).size > 0) };
}

/** The api server: OpenAPI at /docs, the api's routes, /healthz and /readyz. Nothing here opens a connection. */
export async function buildApiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = await createHttpApp(deps.config, 'api');
  await app.register(swaggerPlugin);
  await app.register(apiRoutes, deps);
  const readiness = readinessCheck(apiChecks(deps), app.log, undefined, apiAdvisory(deps));
  app.decorate('readiness', readiness);
  registerReadinessGauge(deps.registry, 'api', readiness);
  await app.register(healthRoutes, { readiness, checks: 'Redis, database and migrations' });
  return app;
}
