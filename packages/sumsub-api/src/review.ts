// GET /resources/applicants/{applicantId}/status (docs.sumsub.com/reference/get-applicant-review-status):
// the review object alone: reviewId, attemptId, levelName, createDate, reviewDate
// (UTC, "2024-03-18 06:46:20+0000"), reviewResult and reviewStatus (init, pending,
// prechecked, queued, completed, onHold, awaitingService…). "reviewAnswer affects
// the applicant only when reviewStatus: completed."

export type SumsubReview = {
  reviewId: string | null;
  attemptId: string | null;
  levelName: string | null;
  reviewStatus: string;
  /** The review's own time: reviewDate when it has one, else createDate. */
  at: Date;
  /** As Sumsub sent it (only meaningful when completed). */
  reviewResult: Record<string, unknown> | null;
};

/** Sumsub's API times: "2024-03-18 06:46:20+0000" or "2020-06-24 05:05:14" (GMT). */
export function parseSumsubTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const zone = match[3] === undefined || match[3] === 'Z' ? 'Z' : `${match[3].slice(0, 3)}:${match[3].slice(-2)}`;
  const date = new Date(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The review from a /status answer (or the `review` of /one); undefined when it has no status or time. */
export function reviewOf(body: unknown): SumsubReview | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const review = body as Record<string, unknown>;
  const reviewStatus = text(review.reviewStatus);
  const at = parseSumsubTime(review.reviewDate) ?? parseSumsubTime(review.createDate);
  if (!reviewStatus || !at) return undefined;
  const result = review.reviewResult;
  return {
    reviewId: text(review.reviewId),
    attemptId: text(review.attemptId),
    levelName: text(review.levelName),
    reviewStatus,
    at,
    reviewResult: typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : null,
  };
}
