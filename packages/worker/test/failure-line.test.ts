import { JOB_NAMES } from '@kyc/jobs';
import { applyEventDetailed, pgSql } from '@kyc/db/plain';
import { ledgerEvent, poisonApplicant, testDatabaseUrl, webhook } from '@kyc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { errorKind } from '../src/errors.ts';
import { failureLine } from '../src/runtime.ts';

const sql = pgSql(testDatabaseUrl(), 2);
afterAll(() => sql.close());

describe("a failed job's log line", () => {
  it('names the event, its type, applicant, attempts and the cause in one line, without the SQL of the statement', async () => {
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'FINAL', clientComment: 'internal note about Jane Doe' },
      firstName: 'Jane',
    });
    const event = ledgerEvent(payload);
    const fault = await poisonApplicant(testDatabaseUrl(), String(payload.applicantId));
    const error = await applyEventDetailed(sql, event).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    await fault.cure();
    expect(error).toBeInstanceOf(Error);
    // What pg attaches: the PL/pgSQL context with the statement's text.
    expect(JSON.stringify(error)).toMatch(/kyc_apply_events/);
    const data = {
      v: 2,
      eventId: event.eventId,
      rawBody: event.rawBody,
      digest: event.digest,
      digestAlgorithm: event.digestAlgorithm,
      receivedAt: event.receivedAt,
      source: 'webhook',
    };
    const job = { id: event.eventId, name: JOB_NAMES.applyEvent, data, attemptsMade: 3, opts: { attempts: 3 } };
    const line = failureLine(job, error as Error, errorKind(error));
    expect(line).toMatchObject({
      eventId: event.eventId,
      type: 'applicantReviewed',
      applicantId: payload.applicantId,
      attempts: 3,
      maxAttempts: 3,
      cause: 'poisoned applicant',
    });
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/kyc_apply_events|INSERT INTO|SELECT /);
    expect(text).not.toMatch(/Jane|internal note|rawBody|digest/);
    expect(text.length).toBeLessThan(1500);
  });
});
