import { testDatabaseUrl } from '@kyc/test-support';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DECISIONS } from '../src/decisions.ts';

// One vocabulary: the constant TypeScript uses and what kyc_decision
// (sql/01-merge.sql), the only writer of a decision, computes are the same list,
// and the database refuses any other (sql/06-decisions.sql).
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
afterAll(async () => pool.end());

describe('the decision vocabulary', () => {
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

  it('is the list the database enforces: a write of any other decision fails', async () => {
    const { rows } = await pool.query<{ decisions: string[] }>('SELECT kyc_decisions() AS decisions');
    expect(rows[0]?.decisions).toEqual([...DECISIONS]);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO applicants (applicant_id, last_event_type, last_event_at) VALUES ('decision-vocabulary-probe', 'applicantCreated', now())`,
      );
      await client.query(
        `UPDATE applicants SET decision = 'approved', previous_decision = 'pending' WHERE applicant_id = 'decision-vocabulary-probe'`,
      );
      await client.query('SAVEPOINT known');
      await expect(
        client.query(`UPDATE applicants SET decision = 'maybe' WHERE applicant_id = 'decision-vocabulary-probe'`),
      ).rejects.toMatchObject({ code: '23514' });
      await client.query('ROLLBACK TO SAVEPOINT known');
      await expect(
        client.query(`UPDATE applicants SET previous_decision = 'Approved' WHERE applicant_id = 'decision-vocabulary-probe'`),
      ).rejects.toMatchObject({ code: '23514' });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
