import { randomBytes } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { JOB_NAMES } from './queues.ts';
import { ACCOUNT_NAME_PATTERN, DEFAULT_ACCOUNT } from '@kyc/runtime';

// Jobs of the `sumsub-api` queue: every call to Sumsub's API is one job, so one
// BullMQ rate limiter (SUMSUB_API_RATE) holds for all workers together. Jobs
// carry ids only.

const ApplicantId = Type.String({ minLength: 1, maxLength: 256 });
/**
 * The account whose credentials call Sumsub. For an applicant the database knows,
 * the worker uses its owner's account whatever a job says; absent: `default`.
 */
const Account = Type.Optional(Type.String({ pattern: ACCOUNT_NAME_PATTERN }));

/** Fetch the document-level results of an applicant's review (requiredIdDocsStatus). */
export const FetchDocumentsJobSchema = Type.Object(
  {
    v: Type.Literal(1),
    applicantId: ApplicantId,
    /** The RED review's event that asked for it; null: a manual refresh (the review the record holds). */
    reviewEventId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    account: Account,
  },
  { additionalProperties: false },
);
export type FetchDocumentsJob = Static<typeof FetchDocumentsJobSchema>;

/** Fetch Sumsub's rejection clarification (button ids per image and for the applicant) for a RED review: same fields. */
export const FetchClarificationJobSchema = FetchDocumentsJobSchema;
export type FetchClarificationJob = FetchDocumentsJob;

/** Read the applicant's review back from Sumsub and record it when newer than the record's. */
export const ReconcileJobSchema = Type.Object(
  { v: Type.Literal(1), applicantId: ApplicantId, account: Account },
  { additionalProperties: false },
);
export type ReconcileJob = Static<typeof ReconcileJobSchema>;

/** The periodic stale-applicant reconciliation (RECONCILE_INTERVAL): one scheduler, one run at a time. */
export const ReconcileStaleJobSchema = Type.Object(
  { v: Type.Literal(1), staleAfterMs: Type.Integer({ minimum: 1 }), account: Account },
  { additionalProperties: false },
);
export type ReconcileStaleJob = Static<typeof ReconcileStaleJobSchema>;

export type ReconcileOutcome = 'updated' | 'unchanged' | 'not_found';

/**
 * A fetch for one review (the documents, then the clarification: one call to
 * Sumsub per job), one per review event (a retried apply adds it once); a manual
 * refresh's is its own (`runId`). Attempts, backoff and retention are the queue's (openQueue).
 */
function reviewFetchJob<N extends typeof JOB_NAMES.fetchDocuments | typeof JOB_NAMES.fetchClarification>(
  name: N,
  idPrefix: 'docs' | 'clarify',
  { applicantId, reviewEventId, runId, account }: { applicantId: string; reviewEventId: string | null; runId: string; account: string },
) {
  const data: FetchDocumentsJob = { v: 1, applicantId, reviewEventId, ...(account === DEFAULT_ACCOUNT ? {} : { account }) };
  const jobId = reviewEventId ? `${idPrefix}-${reviewEventId}` : `${idPrefix}-refresh-${runId}`;
  return { name, data, opts: { jobId } };
}

/** The document-level results of the review `reviewEventId` (null: the review the record holds). */
export function fetchDocumentsJob(applicantId: string, reviewEventId: string | null, runId = '', account = DEFAULT_ACCOUNT) {
  return reviewFetchJob(JOB_NAMES.fetchDocuments, 'docs', { applicantId, reviewEventId, runId, account });
}

/**
 * The rejection clarification of the review `reviewEventId`, queued by the document
 * fetch once that stored its results, so the two calls for a review run one after
 * the other; a refresh's is named after the refresh job.
 */
export function fetchClarificationJob(applicantId: string, reviewEventId: string | null, runId = '', account = DEFAULT_ACCOUNT) {
  return reviewFetchJob(JOB_NAMES.fetchClarification, 'clarify', { applicantId, reviewEventId, runId, account });
}

/** The job ids a review event's fetches have (erasure finds them by these). */
export const reviewFetchJobIds = (reviewEventId: string): string[] => [`docs-${reviewEventId}`, `clarify-${reviewEventId}`];

/**
 * One applicant of one reconciliation run. `attempts`: an operator waiting for
 * the answer (POST /admin/reconcile) gets fewer than the queue's, so a failure is
 * reported while they wait rather than retried for minutes. The job id is random,
 * never made from the applicant id (BullMQ's event stream keeps job ids after erasure).
 */
export function reconcileJob(applicantId: string, runId: string, attempts?: number, account = DEFAULT_ACCOUNT) {
  const data: ReconcileJob = { v: 1, applicantId, ...(account === DEFAULT_ACCOUNT ? {} : { account }) };
  const jobId = `reconcile-${runId}-${randomBytes(8).toString('hex')}`;
  return { name: JOB_NAMES.reconcileApplicant, data, opts: { jobId, ...(attempts === undefined ? {} : { attempts }) } };
}
