import { poisonApplicant, webhook, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// An acknowledgement means the event will be stored: what PostgreSQL cannot store
// is repaired before the 200, what cannot be processed is refused with a 400.
const system = withSystem({ workers: 1, env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' } });

const withComment = (payload: Record<string, unknown>, escaped: string) => JSON.stringify(payload).replace('"__COMMENT__"', `"${escaped}"`);

describe('bodies JSON allows but PostgreSQL cannot store', () => {
  it('a lone surrogate (\\ud800) is acknowledged, stored as U+FFFD, and the raw body kept exactly', async () => {
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'RETRY', moderationComment: '__COMMENT__' },
    });
    const body = withComment(payload, 'bad \\ud800 photo \\udfff');
    const answer = await system.post(body);
    expect(answer).toMatchObject({ status: 200, json: { status: 'accepted' } });
    const eventId = String(answer.json.eventId);
    await expect.poll(async () => (await system.db.event.findUnique({ where: { eventId } }))?.status).toBe('applied');
    const event = await system.db.event.findUniqueOrThrow({ where: { eventId } });
    expect(event.rawBody).toBe(body);
    expect(await system.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).toMatchObject({
      moderationComment: 'bad \uFFFD photo \uFFFD',
      decision: 'rejected_retry',
    });
  });

  it('a dead letter carrying one is stored with its raw text, so replay from the database finds it', async () => {
    const payload = webhook({ type: 'applicantPending', reviewResult: { moderationComment: '__COMMENT__' } });
    const fault = await poisonApplicant(system.config.DATABASE_URL, String(payload.applicantId));
    try {
      const body = withComment(payload, '\\udc00\\u0000');
      const answer = await system.post(body);
      expect(answer.status).toBe(200);
      const eventId = String(answer.json.eventId);
      await expect.poll(async () => (await system.db.event.findUnique({ where: { eventId } }))?.status).toBe('failed');
      expect(await system.db.event.findUnique({ where: { eventId } })).toMatchObject({ rawBody: body, status: 'failed' });
    } finally {
      await fault.cure();
    }
  });
});

describe('bodies that cannot be processed are refused, not acknowledged', () => {
  it('JSON nested deeper than 64 levels (100 here) gets a 400 naming the limit, and nothing is queued', async () => {
    const jobs = await system.jobCount();
    const nested = `${'['.repeat(100)}${']'.repeat(100)}`;
    const answer = await system.post(JSON.stringify(webhook({ extra: '__COMMENT__' })).replace('"__COMMENT__"', nested));
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_payload', message: expect.stringMatching(/deeper than 64/) } });
    expect(await system.jobCount()).toBe(jobs);
  });

  it('hundreds of thousands of nested arrays are refused before they are parsed', async () => {
    const answer = await system.post('['.repeat(200_000));
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_payload', message: expect.stringMatching(/deeper than 64/) } });
  });
});
