import { ledgerEvent, testDatabaseUrl, webhook } from '@kyc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEventDetailed, recordFailure } from '../src/apply-events.ts';
import { pgSql } from '../src/sql.ts';

const sql = pgSql(testDatabaseUrl(), 2);
afterAll(() => sql.close());

const row = async (eventId: string) =>
  (
    await sql.query<{ status: string; lastError: string | null }>('SELECT status, last_error FROM events WHERE event_id = $1', [eventId])
  )[0];
const record = async (applicantId: string) =>
  (await sql.query<{ eventCount: number }>('SELECT event_count FROM applicants WHERE applicant_id = $1', [applicantId]))[0];

describe('one truth about failure', () => {
  it('marks an applied event failed when a later run of it is dead-lettered; applying it again is a duplicate, never a second merge', async () => {
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const event = ledgerEvent(payload);
    expect((await applyEventDetailed(sql, event)).outcome).toBe('applied');
    expect(await recordFailure(sql, event, 'Error: Connection terminated unexpectedly')).toBe(true);
    expect(await row(event.eventId)).toEqual({ status: 'failed', lastError: expect.stringMatching(/Connection terminated/) });
    expect((await applyEventDetailed(sql, event)).outcome).toBe('duplicate');
    expect(await row(event.eventId)).toEqual({ status: 'applied', lastError: null });
    expect(await record(String(payload.applicantId))).toEqual({ eventCount: 1 });
  });

  it('still merges an event that failed before it was ever applied', async () => {
    const payload = webhook();
    const event = ledgerEvent(payload);
    expect(await recordFailure(sql, event, 'Error: database down')).toBe(true);
    expect((await applyEventDetailed(sql, event)).outcome).toBe('applied');
    expect(await record(String(payload.applicantId))).toEqual({ eventCount: 1 });
  });
});
