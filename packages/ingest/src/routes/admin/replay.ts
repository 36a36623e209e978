import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole, type Tokens } from '../../plugins/auth.ts';
import { ErrorResponse } from '../../schemas/errors.ts';
import { ReplayFilterBody, ReplayManyResponse, ReplayOneParams, ReplayOneResponse } from '../../schemas/replay.ts';
import { InvalidCursorError, type Replayer } from '../../services/replay.ts';

const security = [{ bearerAuth: [] }];
const denied = { 401: ErrorResponse, 403: ErrorResponse };

/** Replay from PostgreSQL's event table: admin token only. */
export const replayRoutes: FastifyPluginAsyncTypebox<{ replayer: Replayer; tokens: Tokens }> = async (app, { replayer, tokens }) => {
  app.addHook('preHandler', requireRole(tokens, ['admin']));

  app.post(
    '/admin/events/:eventId/replay',
    {
      schema: {
        summary: 'Re-run one event',
        description: 'Re-enqueues the event from the database. Replaying an event that was already applied changes nothing.',
        tags: ['admin'],
        security,
        params: ReplayOneParams,
        response: { 200: ReplayOneResponse, ...denied, 404: ErrorResponse, 409: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const status = await replayer.replayOne(request.params.eventId);
      if (!status) return reply.code(404).send({ error: 'not_found', message: `no event ${request.params.eventId}` });
      request.logFields.outcome = status;
      if (status === 'not_replayable') {
        return reply.code(409).send({
          error: 'not_replayable',
          message: `event ${request.params.eventId} has no stored raw body (stripped by retention, erased, or stored before raw bodies were kept): nothing to verify and apply`,
        });
      }
      return { eventId: request.params.eventId, status };
    },
  );

  app.post(
    '/admin/replay',
    {
      // Every filter is optional, so no body at all means "no filters".
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Re-run the events that match filters',
        description:
          'Filters combine with AND; since/until are on the time the event was received. Pages of `limit`, continued with `cursor`.',
        tags: ['admin'],
        security,
        body: ReplayFilterBody,
        response: { 200: ReplayManyResponse, 400: ErrorResponse, ...denied, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { limit = 1000, cursor, since, until, ...rest } = request.body;
      const filter = { ...rest, ...(since ? { since: new Date(since) } : {}), ...(until ? { until: new Date(until) } : {}) };
      try {
        const result = await replayer.replayMany(filter, limit, cursor);
        request.logFields.outcome = `replayed ${result.replayed}`;
        return result;
      } catch (error) {
        if (error instanceof InvalidCursorError) return reply.code(400).send({ error: 'invalid_cursor', message: error.message });
        throw error;
      }
    },
  );
};
