import { type Db, findApplicant, listApplicantEvents } from '@kyc/db';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRole, type Tokens } from '../../plugins/auth.ts';
import { ApplicantEventsResponse, ApplicantParams, ApplicantResponse } from '../../schemas/applicant.ts';
import { ErrorResponse } from '../../schemas/errors.ts';
import { toApplicantResponse, toEventResponse } from './serialize.ts';

/**
 * Read API for other services. Either token reads; clientComment (Sumsub: never for
 * the applicant, may hold private information) only reaches the admin token.
 */
export const applicantRoutes: FastifyPluginAsyncTypebox<{ db: Db; tokens: Tokens }> = async (app, { db, tokens }) => {
  app.addHook('preHandler', requireRole(tokens, ['read', 'admin']));
  const security = [{ bearerAuth: [] }];

  app.get(
    '/applicants/:applicantId',
    {
      schema: {
        summary: "An applicant's current verification record",
        tags: ['applicants'],
        security,
        params: ApplicantParams,
        response: { 200: ApplicantResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const row = await findApplicant(db, request.params.applicantId);
      if (!row) return reply.code(404).send({ error: 'not_found', message: `no applicant ${request.params.applicantId}` });
      return toApplicantResponse(row, request.role === 'admin');
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
        response: { 200: ApplicantEventsResponse, 401: ErrorResponse },
      },
    },
    async (request) => ({ events: (await listApplicantEvents(db, request.params.applicantId)).map(toEventResponse) }),
  );
};
