import type { Config } from '@kyc/contracts';
import {
  asyncLogger,
  type ReadinessCheck,
  readinessCheck,
  type RedisClient,
  redisCheck,
  registerReadinessGauge,
  retryPolicy,
  sumsubApiState,
} from '@kyc/contracts';
import { databaseChecks, type Sql } from '@kyc/db/plain';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import { adminGuardPlugin } from './plugins/admin-guard.ts';
import { auditPlugin } from './plugins/audit.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin, sendError } from './plugins/errors.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { requestLogPlugin } from './plugins/request-log.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { dashboardRoutes } from './routes/admin/queues.ts';
import { applicantRoutes } from './routes/applicants/index.ts';
import { healthRoutes } from './routes/health.ts';
import { sumsubWebhookRoutes } from './routes/webhooks/sumsub.ts';
import { serverOptions } from './server.ts';
import { createEventEnqueuer } from './services/event-enqueuer.ts';
import type { NotificationQueue } from './services/notifications.ts';
import type { SumsubApiQueue } from './services/sumsub-api.ts';
import type { EventQueues } from './services/queues.ts';
import { createIngestMetrics } from './services/metrics.ts';
import { createReplayer } from './services/replay.ts';

export type IngestDeps = {
  config: Config;
  /** The event queue's shards. */
  queues: EventQueues;
  /** Deliveries to the client's endpoints (replay writes to it, the dashboard shows it). */
  notifications: NotificationQueue;
  /** The Sumsub API queue; undefined when no API token is configured. */
  sumsub?: SumsubApiQueue | undefined;
  redis: RedisClient;
  sql: Sql;
  registry: Registry;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The /readyz check (also served on the operations port). */
    readiness: ReadinessCheck;
  }
}

/** How long Sumsub is told to wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 5;

/** Builds the ingest server from explicit dependencies; nothing here opens a connection. */
export async function buildIngestApp({
  config,
  queues,
  notifications,
  sumsub,
  redis,
  sql,
  registry,
}: IngestDeps): Promise<FastifyInstance> {
  const log = asyncLogger(config.LOG_LEVEL, 'ingest');
  // A pino logger is a Fastify logger; typed as the base one so plugins and routes keep Fastify's default types.
  const logger: FastifyBaseLogger = log.logger;
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...serverOptions(config, sendError),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = config.MAX_CONNECTIONS;
  app.addHook('onClose', async () => log.flush());

  const retry = retryPolicy(config);
  await app.register(requestLogPlugin);
  await app.register(errorsPlugin);
  await app.register(authPlugin, { tokens: config.tokens });
  await app.register(adminGuardPlugin);
  await app.register(auditPlugin, { sql });
  await app.register(swaggerPlugin);
  await app.register(metricsPlugin, { registry, metrics: createIngestMetrics(registry, queues) });

  const enqueuer = createEventEnqueuer({
    queues,
    redis,
    timeoutMs: config.ENQUEUE_TIMEOUT_MS,
    retry,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    replicaAcks: config.REDIS_REPLICA_ACKS,
  });
  await app.register(sumsubWebhookRoutes, {
    enqueuer,
    secrets: config.webhookSecrets,
    algorithms: config.webhookAlgorithms,
    maxClockSkewMs: config.MAX_CLOCK_SKEW_MS,
  });
  const readiness = readinessCheck(
    {
      redis: redisCheck(
        redis,
        queues.all.map(({ queue }) => queue.toKey('meta')),
      ),
      ...databaseChecks(sql),
    },
    app.log,
    undefined,
    { sumsubApi: () => sumsubApiState(redis, config.QUEUE_PREFIX, config.sumsubApi !== undefined) },
  );
  app.decorate('readiness', readiness);
  registerReadinessGauge(registry, 'ingest', readiness);
  await app.register(healthRoutes, { readiness });
  await app.register(applicantRoutes, { sql });
  await app.register(adminRoutes, {
    replayer: createReplayer({ sql, queues, retry }),
    sql,
    notifications,
    sumsub,
    allowPrivateEndpoints: config.NOTIFY_ALLOW_PRIVATE === '1',
    lifecycleQueues: () => ({ events: queues.all.map(({ queue }) => queue), notifications: notifications.queue, sumsubApi: sumsub?.queue }),
  });
  await app.register(dashboardRoutes, {
    queues: [
      ...queues.all.map(({ shard, queue }) => ({ queue, shard: queues.all.length > 1 ? shard : undefined })),
      { queue: notifications.queue },
      ...(sumsub ? [{ queue: sumsub.queue }] : []),
    ],
  });
  return app;
}
