import { findApplicant, listApplicantEvents, type Sql } from '@kyc/db/read';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFound } from '../../errors.ts';
import { ApplicantEventsResponse, ApplicantParams, ApplicantResponse } from '../../schemas/applicant.ts';
import { ErrorResponse } from '../../schemas/errors.ts';
import { toApplicantResponse, toEventResponse } from './serialize.ts';

const security = [{ bearerAuth: [] }];
const denied = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

/**
 * Read API for other services. Either token reads; clientComment (Sumsub: never for
 * the applicant, may hold private information) only reaches the admin token.
 */
export const applicantRoutes: FastifyPluginAsyncTypebox<{ sql: Sql }> = async (app, { sql }) => {
  app.addHook('onRequest', app.authorize(['read', 'admin']));

  app.get(
    '/applicants/:applicantId',
    {
      schema: {
        summary: "An applicant's current verification record",
        tags: ['applicants'],
        security,
        params: ApplicantParams,
        response: { 200: ApplicantResponse, ...denied, 404: ErrorResponse },
      },
    },
    async (request) => {
      const row = await findApplicant(sql, request.params.applicantId);
      if (!row) throw new NotFound(`no applicant ${request.params.applicantId}`);
      return toApplicantResponse(row, request.principal?.role === 'admin');
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
        response: { 200: ApplicantEventsResponse, ...denied },
      },
    },
    async (request) => ({ events: (await listApplicantEvents(sql, request.params.applicantId)).map(toEventResponse) }),
  );
};
