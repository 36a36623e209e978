import { Type } from '@sinclair/typebox';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ApplicantJob = Type.Object({
  queue: Type.String({
    description: 'the queue as the dashboard names it, e.g. `sumsub-events`, `sumsub-events (shard 1)`, `notifications`',
  }),
  state: Type.String({ description: 'waiting, active, delayed, prioritized, waiting-children, completed or failed' }),
  jobId: Type.String(),
  name: Type.String({ description: 'what the job is about, as the dashboard titles it (`applicantReviewed · <applicantId> · RED/FINAL`)' }),
  jobName: Type.String({ description: "BullMQ's job name, e.g. sumsub.apply-event" }),
  attempts: Type.Integer({ description: 'attempts made so far' }),
  failureCause: Type.Union([Type.String(), Type.Null()], { description: 'the last failure in one line (the stack is in the worker log)' }),
  addedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  eventId: Type.Optional(NullableString),
  dashboardUrl: Type.String({ description: 'the job in the Bull dashboard, a path on this server' }),
});

export const ApplicantJobsResponse = Type.Object({
  applicantId: Type.String(),
  jobs: Type.Array(ApplicantJob, { description: 'every queue, every state; failed first, then newest first' }),
});
