import type { Config } from '@kyc/runtime';
import { readinessCheck, type RedisClient, redisCheck, registerReadinessGauge, sumsubAccounts } from '@kyc/runtime';
import { createHttpApp, healthRoutes } from '@kyc/http';
import type { EventQueues } from '@kyc/jobs';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { sumsubWebhookRoutes } from './routes/webhooks/sumsub.ts';
import { createEventEnqueuer } from './services/event-enqueuer.ts';
import { createIngestMetrics, type IngestMetrics } from './services/metrics.ts';

export type IntakeDeps = {
  config: Config;
  /** The event queue's shards. */
  queues: EventQueues;
  redis: RedisClient;
  registry: Registry;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The intake's metrics; the webhook route records into them from its own hook. */
    ingestMetrics: IngestMetrics;
  }
}

/** How long Sumsub is told to wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 5;

/**
 * POST /webhooks/sumsub[/<account>] and what it needs (the enqueuer, its metrics), in a scope
 * of its own: the hooks of other routes registered beside it (auth, audit) never
 * run on a webhook.
 */
export async function intakeRoutes(app: FastifyInstance, { config, queues, redis, registry }: IntakeDeps): Promise<void> {
  app.decorate('ingestMetrics', createIngestMetrics(registry, queues));
  const enqueuer = createEventEnqueuer({
    queues,
    redis,
    timeoutMs: config.ENQUEUE_TIMEOUT_MS,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    replicaAcks: config.REDIS_REPLICA_ACKS,
  });
  await app.register(sumsubWebhookRoutes, {
    enqueuer,
    accounts: sumsubAccounts(config),
    maxClockSkewMs: config.MAX_CLOCK_SKEW_MS,
  });
}

/** Intake's one dependency: Redis answers for every shard's queue (current and draining). */
export function intakeChecks(redis: RedisClient, queues: EventQueues) {
  return {
    redis: redisCheck(
      redis,
      queues.all.map(({ queue }) => queue.toKey('meta')),
    ),
  };
}

/**
 * The ingest server: intake, /healthz and /readyz (Redis alone: a database outage
 * must not take intake out of rotation while the queue can absorb it). Anything
 * else is a 404. Nothing here opens a connection.
 */
export async function buildIngestApp(deps: IntakeDeps): Promise<FastifyInstance> {
  const app = await createHttpApp(deps.config, 'ingest');
  await app.register(intakeRoutes, deps);
  const readiness = readinessCheck(intakeChecks(deps.redis, deps.queues), app.log);
  app.decorate('readiness', readiness);
  registerReadinessGauge(deps.registry, 'ingest', readiness);
  await app.register(healthRoutes, { readiness, checks: 'Redis (every shard of the event queue)' });
  return app;
}
