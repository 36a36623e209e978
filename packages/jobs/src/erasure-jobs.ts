import { type Static, Type } from '@sinclair/typebox';
import { JOB_NAMES } from './queues.ts';

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

export const PurgeJobSchema = Type.Object(
  { v: Type.Literal(1), retentionDays: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type PurgeJob = Static<typeof PurgeJobSchema>;

/**
 * An erasure Sumsub asked for. Its job id is BullMQ's own counter, never one made
 * from the applicant id: BullMQ's event stream keeps job ids after the job is gone,
 * and an erased person's id must not stay in Redis in any encoding. Two requests
 * for one applicant are two jobs; erasing twice is harmless.
 */
export function eraseJob(applicantId: string, actor: string) {
  const data: EraseJob = { v: 1, applicantId, actor };
  // Attempts, backoff and retention (finished erasures leave at once) are the queue's: openQueue.
  return { name: JOB_NAMES.eraseApplicant, data, opts: {} } as const;
}
