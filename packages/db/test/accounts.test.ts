import { accountEventId } from '@kyc/runtime';
import { ledgerEvent, randomApplicantId, testDatabaseUrl, webhook } from '@kyc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEventDetailed, applyEventsDetailed, type LedgerEvent } from '../src/apply-events.ts';
import { pgSql } from '../src/sql.ts';

// Ownership of applicants by Sumsub account, decided inside kyc_apply_events
// (packages/db/sql/02-apply-events.sql): the first account to report an applicant
// owns it; another account's events are recorded `wrong_account` and never merged.
const sql = pgSql(testDatabaseUrl(), 8);
afterAll(async () => sql.close());

/** A delivery of `payload` through `account`, as the worker hands it to the statement. */
function via(account: string, payload: Record<string, unknown>, receivedAt = Date.now()): LedgerEvent {
  const event = ledgerEvent(payload, { account, receivedAt });
  return { ...event, eventId: accountEventId(event.eventId, account) };
}

const reviewed = (applicantId: string, answer: 'GREEN' | 'RED', createdAtMs: string) =>
  webhook({
    applicantId,
    type: 'applicantReviewed',
    reviewStatus: 'completed',
    reviewResult:
      answer === 'GREEN' ? { reviewAnswer: 'GREEN' } : { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] },
    createdAtMs,
  });

async function owner(applicantId: string) {
  const [claim] = await sql.query<{ account: string }>('SELECT account FROM applicant_accounts WHERE applicant_id = $1', [applicantId]);
  const [record] = await sql.query<{ account: string; decision: string; eventCount: number; version: number }>(
    'SELECT account, decision, event_count, version FROM applicants WHERE applicant_id = $1',
    [applicantId],
  );
  return { claim: claim?.account, record };
}

async function eventRow(eventId: string) {
  const [row] = await sql.query<{ status: string; account: string }>('SELECT status, account FROM events WHERE event_id = $1', [eventId]);
  return row;
}

describe('applicant ownership by Sumsub account', () => {
  it("keeps another account's event, newer and RED, without changing the owner's record", async () => {
    const applicantId = randomApplicantId();
    const green = via('eu', reviewed(applicantId, 'GREEN', '2026-01-01 10:00:00.000'));
    expect((await applyEventDetailed(sql, green)).outcome).toBe('applied');
    const red = via('us', reviewed(applicantId, 'RED', '2026-01-02 10:00:00.000'));
    // A RED review would fetch documents: not for an applicant of another account.
    expect(await applyEventDetailed(sql, red)).toEqual({ outcome: 'wrong_account', wantsDocuments: false });
    expect(await owner(applicantId)).toEqual({ claim: 'eu', record: { account: 'eu', decision: 'approved', eventCount: 1, version: 1 } });
    expect(await eventRow(red.eventId)).toEqual({ status: 'wrong_account', account: 'us' });
    expect(await eventRow(green.eventId)).toEqual({ status: 'applied', account: 'eu' });
    // Again (a replay, a retried job): still kept, still not applied.
    expect((await applyEventDetailed(sql, { ...red, attempts: 2 })).outcome).toBe('wrong_account');
    expect((await owner(applicantId)).record).toMatchObject({ decision: 'approved', eventCount: 1 });
  });

  it('lets the same content arrive through two accounts as two events: one applied, one kept', async () => {
    const applicantId = randomApplicantId();
    const payload = reviewed(applicantId, 'GREEN', '2026-01-01 10:00:00.000');
    const [mine, theirs] = [via('default', payload), via('sandbox', payload)];
    expect(mine.eventId).not.toBe(theirs.eventId);
    const outcomes = await applyEventsDetailed(
      sql,
      [theirs, mine].map((e, i) => ({ ...e, receivedAt: Date.now() + i })),
    );
    // In one batch the earliest received claims.
    expect(outcomes.get(theirs.eventId)?.outcome).toBe('applied');
    expect(outcomes.get(mine.eventId)?.outcome).toBe('wrong_account');
    expect((await owner(applicantId)).claim).toBe('sandbox');
  });

  it("decides one owner when two accounts' first events race in concurrent transactions", async () => {
    const rounds = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const applicantId = randomApplicantId();
        const a = via('eu', reviewed(applicantId, 'GREEN', '2026-01-01 10:00:00.000'));
        const b = via('us', reviewed(applicantId, 'RED', '2026-01-01 10:00:01.000'));
        const [first, second] = await Promise.all([applyEventDetailed(sql, a), applyEventDetailed(sql, b)]);
        return { applicantId, outcomes: [first.outcome, second.outcome].sort() };
      }),
    );
    for (const { applicantId, outcomes } of rounds) {
      expect(outcomes).toEqual(['applied', 'wrong_account']);
      const { claim, record } = await owner(applicantId);
      expect(record?.account).toBe(claim);
      // The record is the winner's alone: its one event, its decision.
      expect(record).toMatchObject({ eventCount: 1, decision: claim === 'eu' ? 'approved' : 'rejected_final' });
    }
  });

  it('applies events without an applicant whatever the account (nothing to own)', async () => {
    const txn = webhook({ applicantId: undefined, type: 'applicantKytTxnCreated', kytTxnId: `txn-${randomApplicantId()}` });
    const event = via('us', txn);
    expect((await applyEventDetailed(sql, event)).outcome).toBe('applied');
    expect(await eventRow(event.eventId)).toEqual({ status: 'applied', account: 'us' });
  });
});
