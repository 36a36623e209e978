import { parseDuration } from '@kyc/runtime';
import { applicantExists, type Sql, staleApplicants } from '@kyc/db/plain';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidRequest, NotFound, SumsubApiOff, deniedWrite, ErrorResponse, security } from '@kyc/http';
import { ApplicantParams } from '../../schemas/applicant.ts';
import { ReconcileBody, ReconcileResponse, RefreshResponse } from '../../schemas/sumsub.ts';
import { decodeCursor, encodeCursor } from '../../services/cursor.ts';
import type { SumsubApiQueue } from '../../services/sumsub-api.ts';

/** How long POST /admin/reconcile waits for its page's jobs before answering. */
const RECONCILE_WAIT_MS = 60_000;

/** Sumsub API actions (inside the admin scope). With no API token configured they answer 409 sumsub_api_off. */
export const sumsubRoutes: FastifyPluginAsyncTypebox<{ sql: Sql; sumsub: SumsubApiQueue | undefined }> = async (app, { sql, sumsub }) => {
  const api = () => {
    if (!sumsub) throw new SumsubApiOff('the Sumsub API is not configured: set SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY');
    return sumsub;
  };

  app.post(
    '/admin/applicants/:applicantId/refresh',
    {
      config: { bodiless: true },
      schema: {
        summary: "Fetch an applicant's document-level results from Sumsub now",
        description:
          'Queues GET requiredIdDocsStatus for the review the record holds; documents and documentsFetchedAt change when they are stored.',
        tags: ['sumsub'],
        security,
        params: ApplicantParams,
        response: { 202: RefreshResponse, 400: ErrorResponse, ...deniedWrite, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { applicantId } = request.params;
      request.audit = { action: 'refresh', target: applicantId };
      const queue = api();
      if (!(await applicantExists(sql, applicantId))) throw new NotFound(`no applicant ${applicantId}`);
      const jobId = await queue.refresh(applicantId);
      return reply.code(202).send({ applicantId, status: 'queued' as const, jobId });
    },
  );

  app.post(
    '/admin/reconcile',
    {
      schema: {
        summary: 'Read reviews back from Sumsub and record the ones webhooks missed',
        description:
          'Either applicantIds, or staleAfter (every applicant not completed whose newest event is older), paged by limit and cursor. Waits up to a minute for the page.',
        tags: ['sumsub'],
        security,
        body: ReconcileBody,
        response: { 200: ReconcileResponse, 400: ErrorResponse, ...deniedWrite, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { applicantIds, staleAfter, account, limit = 100, cursor } = request.body;
      request.audit = {
        action: 'reconcile',
        target: applicantIds ? `${applicantIds.length} applicants` : `stale after ${staleAfter ?? ''}${account ? ` of ${account}` : ''}`,
      };
      const queue = api();
      if ((applicantIds === undefined) === (staleAfter === undefined))
        throw new InvalidRequest('give applicantIds or staleAfter (one of them)');
      if (applicantIds) {
        const tally = await queue.reconcile(applicantIds, RECONCILE_WAIT_MS, account);
        request.logFields.outcome = `reconciled ${tally.checked}, updated ${tally.updated}`;
        return { ...tally, nextCursor: null };
      }
      const [after] = cursor ? decodeCursor(cursor, 1) : [];
      const before = new Date(Date.now() - (parseDuration(staleAfter as string) as number));
      const ids = await staleApplicants(sql, before, limit, after, account);
      const tally = await queue.reconcile(ids, RECONCILE_WAIT_MS, account);
      request.logFields.outcome = `reconciled ${tally.checked}, updated ${tally.updated}`;
      return { ...tally, nextCursor: ids.length === limit ? encodeCursor([ids[ids.length - 1] as string]) : null };
    },
  );
};
