import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { ErrorResponse } from '@kyc/http';
import { exposition } from '@kyc/runtime';

/** Serves GET /metrics (Prometheus text of this process's registry) to the admin token. */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { registry }: { registry: Registry }) => {
    app.get(
      '/metrics',
      {
        onRequest: app.authorize(['admin']),
        schema: {
          summary: 'Prometheus metrics',
          description:
            'Prometheus text exposition (OpenMetrics with trace-id exemplars when tracing is on and Accept asks for application/openmetrics-text): intake, queue depth and lag, jobs, dead letters, duplicates, stale events, dependency errors, process.',
          tags: ['operations'],
          security: [{ bearerAuth: [] }],
          produces: ['text/plain', 'application/openmetrics-text'],
          response: { 200: { type: 'string' }, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (request, reply) => {
        const { contentType, text } = await exposition(registry, request.headers.accept);
        return reply.type(contentType).send(text);
      },
    );
  },
  { name: 'kyc-metrics', dependencies: ['kyc-auth'] },
);
