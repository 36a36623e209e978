import type { Config } from '@kyc/contracts';
import { loggerOptions } from '@kyc/contracts';
import type { Db } from '@kyc/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { metricsPlugin } from './plugins/metrics.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { dashboardRoutes } from './routes/admin/queues.ts';
import { replayRoutes } from './routes/admin/replay.ts';
import { createIngestMetrics } from './services/metrics.ts';
import { createReplayer } from './services/replay.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { requestLogPlugin } from './plugins/request-log.ts';
import { applicantRoutes } from './routes/applicants/index.ts';
import { healthRoutes } from './routes/health.ts';
import { sumsubWebhookRoutes } from './routes/webhooks/sumsub.ts';
import { createEventEnqueuer, type EventQueue } from './services/event-enqueuer.ts';
import { createReadinessCheck } from './services/readiness.ts';

export type IngestDeps = { config: Config; queue: EventQueue; redis: Redis; db: Db; registry: Registry };

/** Builds the ingest server from explicit dependencies; nothing here opens a connection. */
export async function buildIngestApp({ config, queue, redis, db, registry }: IngestDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.LOG_LEVEL, 'ingest'),
    bodyLimit: config.MAX_BODY_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  const tokens = { read: config.API_READ_TOKEN, admin: config.API_ADMIN_TOKEN };
  await app.register(errorHandlerPlugin);
  await app.register(requestLogPlugin);
  await app.register(swaggerPlugin);
  await app.register(metricsPlugin, { registry, metrics: createIngestMetrics(registry, queue), tokens });

  const enqueuer = createEventEnqueuer({
    queue,
    redis,
    timeoutMs: config.ENQUEUE_TIMEOUT_MS,
    retry: { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS },
  });
  await app.register(sumsubWebhookRoutes, { enqueuer, secrets: config.webhookSecrets, retryAfterSeconds: 5 });
  await app.register(healthRoutes, { readiness: createReadinessCheck({ redis, db }) });
  await app.register(applicantRoutes, { db, tokens });
  const retry = { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS };
  await app.register(replayRoutes, { replayer: createReplayer({ db, queue, retry }), tokens });
  await app.register(dashboardRoutes, { queue, tokens });
  return app;
}
