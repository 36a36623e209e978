-- The decision vocabulary, held by the database: kyc_decision
-- (packages/db/sql/01-merge.sql) computes a decision, and these constraints
-- refuse any value outside the list. DECISIONS in packages/db/src/decisions.ts is
-- the same list for TypeScript; packages/db/test/decisions.test.ts holds the two equal.
ALTER TABLE "applicants" ADD CONSTRAINT "applicants_decision_check"
  CHECK ("decision" IN ('approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'));

ALTER TABLE "applicants" ADD CONSTRAINT "applicants_previous_decision_check"
  CHECK ("previous_decision" IN ('approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'));
