import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { eventFilter } from '../../services/event-filter.ts';
import { denied, NotFound, NotReplayable, deniedWrite, ErrorResponse, security } from '@kyc/http';
import {
  EventJobResponse,
  ReplayDryRunResponse,
  ReplayFilterBody,
  ReplayManyResponse,
  ReplayOneParams,
  ReplayOneResponse,
} from '../../schemas/replay.ts';
import type { Replayer } from '../../services/replay.ts';

/** Replay from PostgreSQL's event table (inside the admin scope: admin token, same-site, JSON). */
export const replayRoutes: FastifyPluginAsyncTypebox<{ replayer: Replayer }> = async (app, { replayer }) => {
  app.post(
    '/admin/events/:eventId/replay',
    {
      config: { bodiless: true },
      schema: {
        summary: 'Re-run one event',
        description:
          'Re-enqueues the event from the database; the worker verifies its stored signature again. Replaying an event that was already applied changes nothing.',
        tags: ['admin'],
        security,
        params: ReplayOneParams,
        response: {
          200: ReplayOneResponse,
          400: ErrorResponse,
          ...deniedWrite,
          404: ErrorResponse,
          409: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request) => {
      const { eventId } = request.params;
      request.audit = { action: 'replay', target: eventId };
      const status = await replayer.replayOne(eventId);
      if (!status) throw new NotFound(`no event ${eventId}`);
      request.logFields.outcome = status;
      if (status === 'not_replayable') {
        throw new NotReplayable(
          `event ${eventId} has no stored raw body (stripped by retention, erased, or stored before raw bodies were kept): nothing to verify and apply`,
        );
      }
      return { eventId, status };
    },
  );

  app.post(
    '/admin/replay',
    {
      // Every filter is optional, so an empty JSON body means "no filters".
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
        response: { 200: Type.Union([ReplayManyResponse, ReplayDryRunResponse]), 400: ErrorResponse, ...deniedWrite, 503: ErrorResponse },
      },
    },
    async (request) => {
      const { limit = 1000, cursor, dryRun = false, ...fields } = request.body;
      const filter = eventFilter(fields);
      request.audit = {
        action: dryRun ? 'replay.dry-run' : 'replay',
        target: JSON.stringify({ ...fields, ...(cursor ? { cursor } : {}) }),
      };
      if (dryRun) {
        const matched = await replayer.count(filter, cursor);
        request.logFields.outcome = `dry run: ${matched} match`;
        return { matched, dryRun: true as const };
      }
      const result = await replayer.replayMany(filter, limit, cursor);
      request.logFields.outcome = `replayed ${result.replayed}`;
      return result;
    },
  );

  app.get(
    '/admin/events/:eventId/job',
    {
      schema: {
        summary: "An event's status and its job",
        description:
          "The event's status in the database and its job in Redis: state, attempts, and the outcome (applied, stale, duplicate, erased) or the failure's cause. What `pnpm cli replay --wait` follows.",
        tags: ['admin'],
        security,
        params: ReplayOneParams,
        response: { 200: EventJobResponse, 400: ErrorResponse, ...denied, 404: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => {
      const state = await replayer.jobOf(request.params.eventId);
      if (!state) throw new NotFound(`no event ${request.params.eventId}`);
      return state;
    },
  );
};
