import { eventJob, fetchDocumentsJob, JOB_NAMES, type ReconcileJob, ReconcileJobSchema, type ReconcileOutcome } from '@kyc/jobs';
import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { RECONCILE_DIGEST_ALGORITHM, signReconciled, reviewOf, segment, SumsubApiError } from '@kyc/sumsub-api';
import { accountEventId } from '@kyc/runtime';
import { applyEventDetailed, reviewStatusTime } from '@kyc/db/plain';
import type { Job } from 'bullmq';
import { ContractViolation } from '../errors.ts';
import { apiGet, type SumsubDeps } from '../sumsub/deps.ts';
import { reconciledPayload } from '../sumsub/reconciled-event.ts';
import { ledgerEvent } from './apply-event.ts';
import type { JobDefinition } from './definition.ts';

export type Reconciled = { outcome: ReconcileOutcome; applicantId: string; eventId?: string };

/** Sumsub's current review (GET /status), or undefined when Sumsub does not know the applicant. */
async function currentReview(deps: SumsubDeps, applicantId: string) {
  try {
    return { body: await apiGet(deps, 'status', `/resources/applicants/${segment(applicantId)}/status`) };
  } catch (error) {
    if (error instanceof SumsubApiError && error.kind === 'not_found') return undefined;
    throw error;
  }
}

/**
 * A missed webhook, healed: when Sumsub's review is newer than what the record
 * holds, it is recorded as an event (source "reconcile") at the review's time and
 * applied through the same merge. Reading the same review again makes the same
 * event, so running it twice changes nothing.
 */
export const reconcileApplicantJob = {
  name: JOB_NAMES.reconcileApplicant,
  schema: ReconcileJobSchema,
  async handle(data: ReconcileJob, job: Job, deps: SumsubDeps): Promise<Reconciled> {
    const { applicantId } = data;
    const answer = await currentReview(deps, applicantId);
    if (!answer) return done(deps, { outcome: 'not_found', applicantId });
    const review = reviewOf(answer.body);
    const recordedAt = await reviewStatusTime(deps.sql, applicantId);
    if (!review || (recordedAt && review.at.getTime() <= recordedAt.getTime())) return done(deps, { outcome: 'unchanged', applicantId });
    const rawBody = JSON.stringify(reconciledPayload(applicantId, review, recordedAt !== undefined));
    const content = parseWebhook(rawBody);
    if (isParseFailure(content)) throw new ContractViolation(`Sumsub's review does not make a valid event: ${content.message}`);
    const parsed = { ...content, eventId: accountEventId(content.eventId, deps.account) };
    // The event job a replay of it would queue, applied here at once: the one ledger event made from it.
    const { data: event } = eventJob({
      eventId: parsed.eventId,
      rawBody,
      digest: signReconciled(rawBody, deps.secretKey),
      digestAlgorithm: RECONCILE_DIGEST_ALGORITHM,
      receivedAt: Date.now(),
      source: 'reconcile',
      account: deps.account,
    });
    const applied = await applyEventDetailed(deps.sql, ledgerEvent(parsed, event, job.attemptsMade + 1));
    if (applied.wantsDocuments) await deps.enqueue([fetchDocumentsJob(applicantId, parsed.eventId, '', deps.account)]);
    const changed = applied.outcome === 'applied' || applied.outcome === 'stale';
    return done(deps, { outcome: changed ? 'updated' : 'unchanged', applicantId, eventId: parsed.eventId });
  },
} as const satisfies JobDefinition<typeof ReconcileJobSchema, Reconciled, SumsubDeps>;

function done(deps: SumsubDeps, result: Reconciled): Reconciled {
  deps.metrics.reconciled.inc({ outcome: result.outcome });
  return result;
}
