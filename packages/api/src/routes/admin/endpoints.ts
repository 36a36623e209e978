import { randomBytes } from 'node:crypto';
import { checkEndpointUrl, EndpointRefused, generateEndpointSecret } from '@kyc/worker/notify';
import {
  createEndpoint,
  disableEndpoint,
  enableEndpoint,
  type EndpointRow,
  listEndpoints,
  rotateEndpointSecret,
  type Sql,
} from '@kyc/db/plain';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import { EndpointNotAllowed, NotFound, denied, deniedWrite, ErrorResponse, security } from '@kyc/http';
import {
  CreatedEndpointResponse,
  CreateEndpointBody,
  EndpointListResponse,
  EndpointParams,
  EndpointResponse,
  RotatedSecretResponse,
} from '../../schemas/endpoints.ts';

function toEndpointResponse(row: EndpointRow): Static<typeof EndpointResponse> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    includeClientComment: row.includeClientComment,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
    previousSecretExpiresAt: row.previousSecretUntil && row.previousSecretUntil > new Date() ? row.previousSecretUntil.toISOString() : null,
  };
}

/** The client's notification endpoints (inside the admin scope). Secrets are answered once, at creation and rotation. */
export const endpointRoutes: FastifyPluginAsyncTypebox<{ sql: Sql; allowPrivate: boolean }> = async (app, { sql, allowPrivate }) => {
  app.post(
    '/admin/endpoints',
    {
      schema: {
        summary: 'Register an endpoint for decision notifications',
        description:
          'Answers the Standard Webhooks signing secret once. The URL must be http(s) and resolve to public addresses only, unless NOTIFY_ALLOW_PRIVATE=1.',
        tags: ['notifications'],
        security,
        body: CreateEndpointBody,
        response: { 201: CreatedEndpointResponse, 400: ErrorResponse, ...deniedWrite },
      },
    },
    async (request, reply) => {
      const { url, description, includeClientComment = false } = request.body;
      // The host only: a receiver's URL may carry a token in its path or query.
      const host = URL.canParse(url) ? new URL(url).host : 'invalid url';
      request.audit = { action: 'endpoint.create', target: host };
      try {
        await checkEndpointUrl(url, allowPrivate);
      } catch (error) {
        if (error instanceof EndpointRefused) throw new EndpointNotAllowed(error.message);
        throw error;
      }
      const secret = generateEndpointSecret();
      const row = await createEndpoint(sql, {
        id: `ep_${randomBytes(8).toString('hex')}`,
        url,
        description: description ?? null,
        includeClientComment,
        secret,
      });
      request.logFields.outcome = `endpoint ${row.id}`;
      request.audit = { action: 'endpoint.create', target: `${row.id} ${host}` };
      return reply.code(201).send({ ...toEndpointResponse(row), secret });
    },
  );

  app.get(
    '/admin/endpoints',
    {
      schema: {
        summary: 'List endpoints (never their secrets)',
        tags: ['notifications'],
        security,
        response: { 200: EndpointListResponse, ...denied },
      },
    },
    async () => ({ endpoints: (await listEndpoints(sql)).map(toEndpointResponse) }),
  );

  app.delete(
    '/admin/endpoints/:id',
    {
      schema: {
        summary: 'Remove an endpoint',
        description: 'Its pending notifications are cancelled and its secrets forgotten.',
        tags: ['notifications'],
        security,
        params: EndpointParams,
        response: { 204: { type: 'null', description: 'removed' }, 400: ErrorResponse, ...denied, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      request.audit = { action: 'endpoint.remove', target: id };
      if (!(await disableEndpoint(sql, id, `removed by ${request.principal?.name ?? 'admin'}`, true)))
        throw new NotFound(`no endpoint ${id}`);
      return reply.code(204).send();
    },
  );

  app.post(
    '/admin/endpoints/:id/rotate-secret',
    {
      config: { bodiless: true },
      schema: {
        summary: "Replace an endpoint's secret",
        description: 'Both the new and the previous secret sign every message for 24 hours, so the receiver can switch without losing one.',
        tags: ['notifications'],
        security,
        params: EndpointParams,
        response: { 200: RotatedSecretResponse, 400: ErrorResponse, ...deniedWrite, 404: ErrorResponse },
      },
    },
    async (request) => {
      request.audit = { action: 'endpoint.rotate-secret', target: request.params.id };
      const secret = generateEndpointSecret();
      const until = await rotateEndpointSecret(sql, request.params.id, secret);
      if (!until) throw new NotFound(`no endpoint ${request.params.id}`);
      return { secret, previousSecretExpiresAt: until.toISOString() };
    },
  );

  app.post(
    '/admin/endpoints/:id/enable',
    {
      config: { bodiless: true },
      schema: {
        summary: 'Enable an endpoint again (after 410 Gone)',
        description: 'New changes are notified again; replay its cancelled notifications with POST /admin/notifications/replay.',
        tags: ['notifications'],
        security,
        params: EndpointParams,
        response: { 200: EndpointResponse, 400: ErrorResponse, ...deniedWrite, 404: ErrorResponse },
      },
    },
    async (request) => {
      request.audit = { action: 'endpoint.enable', target: request.params.id };
      const row = await enableEndpoint(sql, request.params.id);
      if (!row) throw new NotFound(`no endpoint ${request.params.id}`);
      return toEndpointResponse(row);
    },
  );
};
