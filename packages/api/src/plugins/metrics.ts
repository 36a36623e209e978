import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { ErrorResponse } from '@kyc/http';

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
            'Prometheus text exposition: intake, queue depth and lag, jobs, dead letters, duplicates, stale events, dependency errors, process.',
          tags: ['operations'],
          security: [{ bearerAuth: [] }],
          produces: ['text/plain'],
          response: { 200: { type: 'string' }, 401: ErrorResponse, 403: ErrorResponse },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
  { name: 'kyc-metrics', dependencies: ['kyc-auth'] },
);
