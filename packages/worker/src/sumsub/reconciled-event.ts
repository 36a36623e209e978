import { sumsubTimeMs } from '@kyc/sumsub-webhook';
import type { SumsubReview } from '@kyc/sumsub-api';

// What reconciliation records: Sumsub's current review as an event, shaped like
// the webhook Sumsub would have sent for it, so the one merge applies it. Its
// time is the review's own (reviewDate, else createDate), so a webhook for a
// newer change still wins by its time, and its correlationId names the review
// attempt, so reading the same review twice makes the same event (a duplicate).

const TYPE_BY_STATUS: Record<string, string> = {
  completed: 'applicantReviewed',
  pending: 'applicantPending',
  queued: 'applicantPending',
  onHold: 'applicantOnHold',
  prechecked: 'applicantPrechecked',
  awaitingService: 'applicantAwaitingService',
  awaitingUser: 'applicantAwaitingUser',
};

export function reconciledPayload(applicantId: string, review: SumsubReview, recorded: boolean): Record<string, unknown> {
  // init after a record exists is a reset (it hides the older review, as Sumsub's applicantReset does).
  const type =
    review.reviewStatus === 'init'
      ? recorded
        ? 'applicantReset'
        : 'applicantCreated'
      : (TYPE_BY_STATUS[review.reviewStatus] ?? 'applicantPending');
  return {
    applicantId,
    type,
    reviewStatus: review.reviewStatus,
    correlationId: `reconcile-${review.reviewId ?? 'review'}-${review.attemptId ?? 'attempt'}`,
    createdAtMs: sumsubTimeMs(review.at),
    ...(review.levelName ? { levelName: review.levelName } : {}),
    // "reviewAnswer affects the applicant only when reviewStatus: completed."
    ...(review.reviewStatus === 'completed' && review.reviewResult ? { reviewResult: review.reviewResult } : {}),
  };
}
