// Webhook fields the Sumsub API tests build their timelines from.

/** An event time on one test minute, in Sumsub's `createdAtMs` form. */
export const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;

/** A completed review at `second`: its answer, and any reviewResult fields beside it. */
export const completedReview = (second: number, reviewAnswer: 'GREEN' | 'RED', result: Record<string, unknown> = {}) => ({
  type: 'applicantReviewed',
  reviewStatus: 'completed',
  reviewResult: { reviewAnswer, ...result },
  createdAtMs: at(second),
});
