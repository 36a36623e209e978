import { fetchClarificationJob, FetchDocumentsJobSchema, JOB_NAMES, type FetchDocumentsJob } from '@kyc/jobs';
import { fetchPrecondition, storeDocuments, type StoreOutcome } from '@kyc/db/plain';
import { documentResults, segment } from '@kyc/sumsub-api';
import type { Job } from 'bullmq';
import { apiGet, type SumsubDeps } from '../sumsub/deps.ts';
import type { JobDefinition } from './definition.ts';

/** The review event is not committed yet (the fetch was queued before the apply): retried, without calling Sumsub. */
export class ReviewNotRecorded extends Error {
  constructor(eventId: string) {
    super(`review event ${eventId} is not applied yet`);
    this.name = 'ReviewNotRecorded';
  }
}

/** What a review fetch answers without calling Sumsub. */
export type NotFetched = { outcome: 'erased' | 'no_applicant'; applicantId: string };

/**
 * The check both review fetches (documents, clarification) make before calling
 * Sumsub: an erased applicant, or none yet, is answered at once; a review event
 * not committed yet is retried.
 */
export async function notFetchable(deps: Pick<SumsubDeps, 'sql'>, data: FetchDocumentsJob): Promise<NotFetched | undefined> {
  const { applicantId, reviewEventId } = data;
  const precondition = await fetchPrecondition(deps.sql, applicantId, reviewEventId);
  if (precondition === 'erased') return { outcome: 'erased', applicantId };
  if (precondition !== 'not_yet') return undefined;
  if (reviewEventId) throw new ReviewNotRecorded(reviewEventId);
  return { outcome: 'no_applicant', applicantId };
}

export type FetchedDocuments = { outcome: StoreOutcome | 'erased'; applicantId: string; documents?: number };

/**
 * Sumsub's document-level results for a RED review ("some images may also contain
 * additional document-specific comments… To get the additional comments, use this
 * method"): GET requiredIdDocsStatus, stored for the review that asked for them.
 * Once stored, the review's rejection clarification is queued (its own call).
 */
export const fetchDocumentsJob = {
  name: JOB_NAMES.fetchDocuments,
  schema: FetchDocumentsJobSchema,
  async handle(data: FetchDocumentsJob, job: Job, deps: SumsubDeps): Promise<FetchedDocuments> {
    const { applicantId, reviewEventId } = data;
    const early = await notFetchable(deps, data);
    if (early) return early;
    const body = await apiGet(deps, 'requiredIdDocsStatus', `/resources/applicants/${segment(applicantId)}/requiredIdDocsStatus`);
    const documents = documentResults(body);
    const outcome = await storeDocuments(deps.sql, applicantId, reviewEventId, documents);
    deps.metrics.documents.inc({ outcome });
    if (outcome === 'stored') {
      const next = fetchClarificationJob(applicantId, reviewEventId, job.id ?? `${Date.now()}`, deps.account);
      await deps.enqueue([next]);
    }
    return { outcome, applicantId, documents: documents.length };
  },
} as const satisfies JobDefinition<typeof FetchDocumentsJobSchema, FetchedDocuments, SumsubDeps>;
