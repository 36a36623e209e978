import { type Static, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JOB_NAMES, RETENTION } from './queue.ts';

/**
 * Sumsub's types that say the person's data was deleted at Sumsub
 * (docs.sumsub.com/docs/user-verification-webhooks): with
 * ERASE_ON_SUMSUB_DELETION=1 the applicant is erased here too.
 */
export const SUMSUB_DELETION_EVENT_TYPES: ReadonlySet<string> = new Set(['applicantDeleted', 'applicantPersonalDataDeleted']);

export const EraseJobSchema = Type.Object(
  { v: Type.Literal(1), applicantId: Type.String({ minLength: 1, maxLength: 256 }), actor: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export type EraseJob = Static<typeof EraseJobSchema>;
export const eraseJobCheck = TypeCompiler.Compile(EraseJobSchema);

export const PurgeJobSchema = Type.Object(
  { v: Type.Literal(1), retentionDays: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type PurgeJob = Static<typeof PurgeJobSchema>;
export const purgeJobCheck = TypeCompiler.Compile(PurgeJobSchema);

/** One erasure per applicant at a time (a second request while one waits is the same job). */
export function eraseJob(applicantId: string, actor: string) {
  const data: EraseJob = { v: 1, applicantId, actor };
  return {
    name: JOB_NAMES.eraseApplicant,
    data,
    opts: {
      jobId: `erase-${Buffer.from(applicantId).toString('base64url')}`,
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
      // The id of an erased person, no more: finished erasure jobs go at once.
      removeOnComplete: true,
      removeOnFail: RETENTION.failed,
    },
  } as const;
}
