-- decisions.sql: the decisions a record can hold, held by the database itself.
--
-- kyc_decision (01-merge.sql) is the only writer of a decision; DECISIONS
-- (packages/db/src/decisions.ts) is the same list for TypeScript;
-- packages/db/test/decisions.test.ts holds the three equal. A write of any other
-- value (a hand-made UPDATE, a future bug) fails with check_violation.
--
-- A trigger and not a CHECK constraint: Prisma's WebAssembly schema engine
-- panics describing a CHECK constraint (migrate diff and dev), and it does not
-- read triggers. Dropping kyc_* functions on reinstall drops the trigger with
-- its function (CASCADE); this file creates both again.

CREATE FUNCTION kyc_decisions() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started']
$$;

CREATE FUNCTION kyc_decision_known() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.decision = ANY (kyc_decisions()))
     OR (NEW.previous_decision IS NOT NULL AND NOT (NEW.previous_decision = ANY (kyc_decisions()))) THEN
    RAISE EXCEPTION 'applicant %: decision % (previous %) is not one of %',
      NEW.applicant_id, NEW.decision, NEW.previous_decision, kyc_decisions()
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER kyc_decision_known
BEFORE INSERT OR UPDATE OF decision, previous_decision ON applicants
FOR EACH ROW EXECUTE FUNCTION kyc_decision_known();
