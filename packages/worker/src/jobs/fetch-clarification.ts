import { FetchClarificationJobSchema, JOB_NAMES, type FetchClarificationJob } from '@kyc/jobs';
import { storeClarification, type StoreOutcome } from '@kyc/db/plain';
import { explainButton } from '@kyc/rejections';
import { clarificationOf, clarificationPath } from '@kyc/sumsub-api';
import type { Job } from 'bullmq';
import { apiGet, type SumsubDeps } from '../sumsub/deps.ts';
import type { JobDefinition } from './definition.ts';
import { notFetchable } from './fetch-documents.ts';

export type FetchedClarification = { outcome: StoreOutcome | 'erased'; applicantId: string; buttons?: number };

/**
 * Sumsub's rejection clarification for a RED review ("Clarify rejection reason":
 * button ids per document image and for the applicant), stored for the review
 * that asked for it under the same rules as the document results.
 */
export const fetchClarificationJob = {
  name: JOB_NAMES.fetchClarification,
  schema: FetchClarificationJobSchema,
  async handle(data: FetchClarificationJob, _job: Job, deps: SumsubDeps): Promise<FetchedClarification> {
    const { applicantId, reviewEventId } = data;
    const early = await notFetchable(deps, data);
    if (early) return early;
    const clarification = clarificationOf(await apiGet(deps, 'moderationStates', clarificationPath(applicantId)));
    const ids = [...clarification.applicantButtonIds, ...clarification.images.flatMap((image) => image.buttonIds)];
    deps.reportUnknown({ label: [], button: ids.filter((id) => !explainButton(id).known) }, applicantId);
    const outcome = await storeClarification(deps.sql, applicantId, reviewEventId, clarification);
    deps.metrics.clarifications.inc({ outcome });
    return { outcome, applicantId, buttons: ids.length };
  },
} as const satisfies JobDefinition<typeof FetchClarificationJobSchema, FetchedClarification, SumsubDeps>;
