import { runSql } from './pg-admin.ts';

/**
 * A test-only fault: writing this applicant's record fails until cured, so its
 * events pass intake and then fail in the worker on every attempt.
 */
export async function poisonApplicant(databaseUrl: string, applicantId: string) {
  const name = `test_poison_${applicantId.replace(/\W/g, '_')}`.slice(0, 60);
  await runSql(
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$
     BEGIN
       IF NEW.applicant_id = '${applicantId.replaceAll("'", "''")}' THEN RAISE EXCEPTION 'poisoned applicant'; END IF;
       RETURN NEW;
     END $$ LANGUAGE plpgsql;
     CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON applicants FOR EACH ROW EXECUTE FUNCTION ${name}();`,
    databaseUrl,
  );
  return {
    async cure() {
      await runSql(`DROP TRIGGER IF EXISTS ${name} ON applicants; DROP FUNCTION IF EXISTS ${name}();`, databaseUrl);
    },
  };
}
