import { findEvents, listAudit, type Sql } from '@kyc/db/plain';
import { eraseApplicant, horizonOf, type ErasureQueues, purge } from '@kyc/erasure';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import { ApplicantParams } from '../../schemas/applicant.ts';
import { denied, deniedWrite, ErrorResponse, NotFound, security } from '@kyc/http';
import { EventsQuery, EventsResponse, type StoredEventResponse } from '../../schemas/events.ts';
import { AuditQuery, AuditResponse, EraseQuery, ErasureResponse, PurgeBody, PurgeResponse } from '../../schemas/erasure.ts';
import { decodeEventCursor, decodeIdCursor, encodeCursor, encodeEventCursor } from '../../services/cursor.ts';
import { eventFilter } from '../../services/event-filter.ts';
import { toEventResponse } from '../applicants/serialize.ts';

/** Find, erase, expire, and who did what (inside the admin scope). */
export const erasureRoutes: FastifyPluginAsyncTypebox<{ sql: Sql; queues: () => ErasureQueues }> = async (app, { sql, queues }) => {
  app.get(
    '/admin/events',
    {
      schema: {
        summary: 'Events with their payloads, by the filters replay takes',
        description: 'In receipt order. Payloads hold names and clientComment: every call is audited.',
        tags: ['erasure'],
        security,
        querystring: EventsQuery,
        response: { 200: EventsResponse, 400: ErrorResponse, ...denied },
      },
    },
    async (request) => {
      const { limit = 100, cursor, ...fields } = request.query;
      request.audit = { action: 'read.events', target: JSON.stringify(fields) };
      const rows = await findEvents(sql, eventFilter(fields), limit, cursor ? decodeEventCursor(cursor) : undefined);
      const last = rows[rows.length - 1];
      const events: Static<typeof StoredEventResponse>[] = rows.map((row) => ({
        ...toEventResponse(row),
        applicantId: row.applicantId,
        attempts: row.attempts,
        lastError: row.lastError,
        payload: row.payload,
      }));
      return { events, nextCursor: last && rows.length === limit ? encodeEventCursor(last) : null };
    },
  );

  app.delete(
    '/admin/applicants/:applicantId',
    {
      schema: {
        summary: 'Erase one person',
        description:
          'Removes the record, every event with its payload and raw body, document results, notifications, and every Redis job of the applicant in every state; a tombstone (id, time, who, counts) stays. Later deliveries are acknowledged and counted, not stored. An id with no record and no event anywhere answers 404 and erases nothing, unless force=true (a deletion ordered before the first event arrived: later events of that id are then dropped).',
        tags: ['erasure'],
        security,
        params: ApplicantParams,
        querystring: EraseQuery,
        response: { 200: ErasureResponse, 400: ErrorResponse, ...denied, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { applicantId } = request.params;
      const force = request.query.force === true;
      request.audit = { action: 'erase', target: applicantId };
      const erasure = await eraseApplicant(sql, queues(), applicantId, request.principal?.name ?? 'admin', { force });
      if (!erasure) {
        throw new NotFound(
          `no record and no event of applicant ${applicantId}: nothing erased (add ?force=true to erase an id before its first event arrives)`,
        );
      }
      request.logFields.outcome = `erased ${erasure.events} events, ${erasure.jobs} jobs${force ? ' (forced)' : ''}`;
      return erasure;
    },
  );

  app.post(
    '/admin/purge',
    {
      schema: {
        summary: 'Run the retention pass now',
        description:
          'Strips payloads and raw bodies of events received more than olderThanDays ago (ids, type, times, status and review answer stay), empties old notification bodies, and removes finished Redis jobs older than that.',
        tags: ['erasure'],
        security,
        body: PurgeBody,
        response: { 200: PurgeResponse, 400: ErrorResponse, ...deniedWrite },
      },
    },
    async (request) => {
      request.audit = { action: 'purge', target: `older than ${request.body.olderThanDays} days` };
      const purged = await purge(sql, queues(), horizonOf(request.body.olderThanDays));
      request.logFields.outcome = `stripped ${purged.events} events, ${purged.notifications} notifications; removed ${purged.jobs} jobs`;
      return purged;
    },
  );

  app.get(
    '/admin/audit',
    {
      schema: {
        summary: 'Who did what',
        description: 'Admin actions and reads that returned clientComment, oldest first.',
        tags: ['erasure'],
        security,
        querystring: AuditQuery,
        response: { 200: AuditResponse, 400: ErrorResponse, ...denied },
      },
    },
    async (request) => {
      const { limit = 100, cursor, since, ...filter } = request.query;
      const afterId = cursor ? decodeIdCursor(cursor) : undefined;
      const rows = await listAudit(sql, { ...filter, ...(since ? { since: new Date(since) } : {}) }, limit, afterId);
      const last = rows[rows.length - 1];
      return {
        entries: rows.map((row) => ({ ...row, at: row.at.toISOString() })),
        nextCursor: last && rows.length === limit ? encodeCursor([last.id]) : null,
      };
    },
  );
};
