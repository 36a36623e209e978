/**
 * What an applicant's record means for onboarding: the values kyc_decision
 * (sql/01-merge.sql), the only writer of a decision, computes
 * (test/decisions.test.ts holds the two equal). The API's schemas and filters
 * take their values from here. (A CHECK constraint in a migration makes Prisma's
 * WebAssembly schema engine panic when it diffs, so the database does not hold
 * the list itself.)
 */
export const DECISIONS = Object.freeze(['approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'] as const);

export type Decision = (typeof DECISIONS)[number];
