/**
 * What an applicant's record means for onboarding: the values kyc_decision
 * (sql/01-merge.sql) computes and the applicants table's CHECK constraints
 * (migration 20261203120000_decision_check) accept. The API's schemas and
 * filters take their values from here.
 */
export const DECISIONS = Object.freeze(['approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'] as const);

export type Decision = (typeof DECISIONS)[number];
