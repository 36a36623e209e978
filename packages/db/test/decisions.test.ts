import { testDatabaseUrl } from '@kyc/test-support';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DECISIONS } from '../src/decisions.ts';

// One vocabulary: the constant TypeScript uses, the CHECK the database enforces
// and what kyc_decision (sql/01-merge.sql) computes are the same list.
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
afterAll(async () => pool.end());

/** The quoted values of a constraint's `IN (…)` / `= ANY (ARRAY[…])` list, as PostgreSQL prints it back. */
async function checkedValues(constraint: string): Promise<string[]> {
  const { rows } = await pool.query<{ definition: string }>(
    'SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = $1',
    [constraint],
  );
  expect(rows).toHaveLength(1);
  return [...(rows[0] as { definition: string }).definition.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
}

describe('the decision vocabulary', () => {
  it('is what the CHECK constraints on decision and previous_decision accept', async () => {
    expect((await checkedValues('applicants_decision_check')).sort()).toEqual([...DECISIONS].sort());
    expect((await checkedValues('applicants_previous_decision_check')).sort()).toEqual([...DECISIONS].sort());
  });

  it('is what kyc_decision computes, every value reachable and nothing else', async () => {
    const { rows } = await pool.query<{ decision: string }>(
      `SELECT DISTINCT kyc_decision(status, has_review, answer, reject_type) AS decision
         FROM unnest(ARRAY[NULL, 'init', 'pending', 'queued', 'onHold', 'completed']) AS status,
              unnest(ARRAY[true, false]) AS has_review,
              unnest(ARRAY[NULL, 'GREEN', 'RED', 'YELLOW']) AS answer,
              unnest(ARRAY[NULL, 'RETRY', 'FINAL']) AS reject_type`,
    );
    expect(rows.map((r) => r.decision).sort()).toEqual([...DECISIONS].sort());
  });

  it('refuses a value outside the list', async () => {
    const insert = pool.query(
      `INSERT INTO applicants (applicant_id, last_event_type, last_event_at, decision) VALUES ($1, 'applicantCreated', now(), 'maybe')`,
      [`decision-check-${Date.now()}`],
    );
    await expect(insert).rejects.toMatchObject({ code: '23514', constraint: 'applicants_decision_check' });
  });
});
