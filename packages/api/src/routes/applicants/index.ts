import {
  changedApplicants,
  findApplicant,
  findTombstone,
  listApplicantEvents,
  listDocumentFetches,
  type Sql,
  visibleClarification,
  visibleDocuments,
} from '@kyc/db/plain';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Erased, NotFound, denied, ErasedResponse, ErrorResponse, security } from '@kyc/http';
import {
  ApplicantDetailResponse,
  ApplicantEventsResponse,
  ApplicantParams,
  ChangeFeedQuery,
  ChangeFeedResponse,
} from '../../schemas/applicant.ts';
import { cursorId, decodeCursor, encodeCursor } from '../../services/cursor.ts';
import { toApplicantResponse, toClarification, toDocumentFetch, toDocumentResponse, toEventResponse } from './serialize.ts';

const refused = { 400: ErrorResponse, ...denied };

/**
 * Read API for other services. Either token reads; clientComment (Sumsub: never for
 * the applicant, may hold private information) only reaches the admin token.
 */
export const applicantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authorize(['read', 'admin']));
  // Records, events and the feed may come from a replica (kyc-read-replica); none of them writes.
  const sql = app.reads;

  app.get(
    '/applicants',
    {
      schema: {
        summary: 'The change feed: records in the order their changes committed',
        description:
          'Follow nextCursor to read every change exactly in order; keep the last one to resume after downtime without missing a change. A record changed again moves to the end of the feed.',
        tags: ['applicants'],
        security,
        querystring: ChangeFeedQuery,
        response: { 200: ChangeFeedResponse, ...refused },
      },
    },
    async (request) => {
      const { limit = 100, cursor, updatedSince, decision, account } = request.query;
      const after = cursor ? feedPosition(cursor) : undefined;
      const filter = {
        ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
        ...(decision ? { decision } : {}),
        ...(account ? { account } : {}),
      };
      const rows = await changedApplicants(sql, filter, limit, after);
      const last = rows[rows.length - 1];
      const admin = request.principal?.role === 'admin';
      if (admin) request.audit = { action: 'read.feed', target: JSON.stringify({ updatedSince, decision, account, cursor }) };
      return {
        applicants: rows.map((row) => toApplicantResponse(row, admin)),
        nextCursor: last ? encodeCursor([last.changeXid, last.applicantId]) : (cursor ?? null),
        hasMore: rows.length === limit,
      };
    },
  );

  app.get(
    '/applicants/:applicantId',
    {
      schema: {
        summary: "An applicant's current verification record",
        tags: ['applicants'],
        security,
        params: ApplicantParams,
        response: { 200: ApplicantDetailResponse, ...refused, 404: ErrorResponse, 410: ErasedResponse },
      },
    },
    async (request) => {
      const { applicantId } = request.params;
      const [row, documents, clarification] = await Promise.all([
        findApplicant(sql, applicantId),
        visibleDocuments(sql, applicantId),
        visibleClarification(sql, applicantId),
      ]);
      if (!row) return notFound(sql, applicantId);
      const admin = request.principal?.role === 'admin';
      // The admin token reads clientComment: audited.
      if (admin) request.audit = { action: 'read.applicant', target: applicantId };
      return {
        ...toApplicantResponse(row, admin),
        documents: documents.documents.map((d) => toDocumentResponse(d, admin)),
        documentsFetchedAt: documents.fetchedAt?.toISOString() ?? null,
        rejectionClarification: clarification ? toClarification(clarification) : null,
      };
    },
  );

  app.get(
    '/applicants/:applicantId/events',
    {
      schema: {
        summary: "An applicant's events, oldest event time first",
        tags: ['applicants'],
        security,
        params: ApplicantParams,
        response: { 200: ApplicantEventsResponse, ...refused, 410: ErasedResponse },
      },
    },
    async (request) => {
      const [events, fetches] = await Promise.all([
        listApplicantEvents(sql, request.params.applicantId),
        listDocumentFetches(sql, request.params.applicantId),
      ]);
      if (events.length === 0) {
        const tombstone = await findTombstone(sql, request.params.applicantId);
        if (tombstone) throw new Erased(request.params.applicantId, tombstone.erasedAt);
      }
      return { events: events.map(toEventResponse), documentFetches: fetches.map(toDocumentFetch) };
    },
  );
};

/** A feed cursor: the (change_xid, applicantId) of the last record read. */
function feedPosition(cursor: string): { changeXid: string; applicantId: string } {
  const [changeXid, applicantId] = decodeCursor(cursor, 2) as [string, string];
  return { changeXid: cursorId(changeXid), applicantId };
}

/** 410 for an erased applicant (its tombstone), else 404. */
async function notFound(sql: Sql, applicantId: string): Promise<never> {
  const tombstone = await findTombstone(sql, applicantId);
  if (tombstone) throw new Erased(applicantId, tombstone.erasedAt);
  throw new NotFound(`no applicant ${applicantId}`);
}
