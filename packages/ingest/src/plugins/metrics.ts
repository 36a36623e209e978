import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import type { IngestMetrics } from '../services/metrics.ts';
import { ErrorResponse } from '../schemas/errors.ts';
import { requireRole, type Tokens } from './auth.ts';

/**
 * Counts every webhook by the outcome its route recorded, times it, and serves
 * GET /metrics (Prometheus text) to the admin token.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { registry, metrics, tokens }: { registry: Registry; metrics: IngestMetrics; tokens: Tokens }) => {
    app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url !== '/webhooks/sumsub') return;
      const outcome = String(request.logFields.outcome ?? `http_${reply.statusCode}`);
      metrics.received.inc({ outcome, algorithm: String(request.logFields.algorithm ?? 'none') });
      metrics.latency.observe({ outcome }, reply.elapsedTime / 1000);
      if (outcome === 'unavailable') metrics.redis.inc({ component: 'ingest' });
    });

    app.get(
      '/metrics',
      {
        preHandler: requireRole(tokens, ['admin']),
        schema: {
          summary: 'Prometheus metrics',
          description:
            'Prometheus text exposition: intake, queue depth, jobs, dead letters, duplicates, stale events, dependency errors, process.',
          tags: ['operations'],
          security: [{ bearerAuth: [] }],
          produces: ['text/plain'],
          response: { 200: { type: 'string' }, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
);
