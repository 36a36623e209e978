import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Sql } from '@kyc/db/plain';
import { denied, ErrorResponse, security } from '@kyc/http';
import { ApplicantParams } from '../../schemas/applicant.ts';
import { ApplicantJobsResponse } from '../../schemas/jobs.ts';
import { findApplicantJobs, type ShownQueues } from '../../services/applicant-jobs.ts';

/** One applicant's jobs in every queue (inside the admin scope). */
export const jobRoutes: FastifyPluginAsyncTypebox<{ sql: Sql; queues: ShownQueues }> = async (app, { sql, queues }) => {
  app.get(
    '/admin/applicants/:applicantId/jobs',
    {
      schema: {
        summary: "One applicant's jobs, in every queue and state",
        description:
          'Events, notification deliveries, Sumsub API calls and erasures of the applicant still in Redis: queue, state, job id, what it is about, attempts, the failure cause in one line, and its page in the Bull dashboard. Failed first. An applicant nobody knows has no jobs (an empty list, not a 404).',
        tags: ['admin'],
        security,
        params: ApplicantParams,
        response: { 200: ApplicantJobsResponse, 400: ErrorResponse, ...denied, 503: ErrorResponse },
      },
    },
    async (request) => {
      const { applicantId } = request.params;
      const jobs = await findApplicantJobs(sql, queues, applicantId);
      request.logFields.outcome = `${jobs.length} jobs`;
      return { applicantId, jobs };
    },
  );
};
