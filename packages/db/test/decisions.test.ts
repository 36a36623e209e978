import { testDatabaseUrl } from '@kyc/test-support';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DECISIONS } from '../src/decisions.ts';

// One vocabulary: the constant TypeScript uses and what kyc_decision
// (sql/01-merge.sql), the only writer of a decision, computes are the same list.
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
});
