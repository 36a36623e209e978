/**
 * What an applicant's record means for onboarding: the values kyc_decision
 * (sql/01-merge.sql), the only writer of a decision, computes
 * (test/decisions.test.ts holds the two equal). The API's schemas and filters
 * take their values from here; the database refuses any other value (a trigger,
 * sql/06-decisions.sql, since a CHECK constraint makes Prisma's WebAssembly
 * schema engine panic when it diffs).
 */
export const DECISIONS = Object.freeze(['approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'] as const);

export type Decision = (typeof DECISIONS)[number];
