import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * OpenAPI 3 generated from the routes' TypeBox schemas, at /docs/json, with a
 * browsable UI at /docs. The bull-board UI's own routes are not part of the API.
 */
export const swaggerPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'kyc-webhooks',
          version: '0.1.0',
          description: 'Receives Sumsub applicant webhooks, applies them exactly once, and serves the resulting applicant records.',
        },
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'a read token (API_READ_TOKEN, API_READ_TOKENS) or an admin token (API_ADMIN_TOKEN, API_ADMIN_TOKENS)',
            },
            basicAuth: { type: 'http', scheme: 'basic', description: 'any user name, an admin token as password (the dashboard only)' },
          },
        },
        tags: [
          { name: 'webhooks', description: 'Intake from Sumsub' },
          { name: 'applicants', description: 'Read API' },
          { name: 'admin', description: 'Replay (admin token)' },
          { name: 'operations', description: 'Metrics' },
          { name: 'health', description: 'Liveness and readiness' },
        ],
      },
      transform: ({ schema, url }) => ({ schema: url.startsWith('/admin/queues') ? { ...schema, hide: true } : schema, url }),
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'kyc-swagger' },
);
