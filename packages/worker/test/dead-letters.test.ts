import { type EventJob, JOB_NAMES } from '@kyc/jobs';
import { signBody } from '@kyc/sumsub-webhook';
import { describe, expect, it } from 'vitest';
import { poisonApplicant, postWebhook, TEST_SECRET, webhook, withSystem } from '@kyc/test-support';

const system = withSystem({ env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '20' }, workers: 1 });

describe('dead letters', () => {
  it('a poison event exhausts its attempts, stays in the failed set and is marked failed; the rest flows on', async () => {
    const poison = webhook({ applicantId: `poison${Date.now()}` });
    const healthy = webhook();
    const fault = await poisonApplicant(system.config.DATABASE_URL, String(poison.applicantId));
    try {
      const bad = await postWebhook(system.url, JSON.stringify(poison));
      const good = await postWebhook(system.url, JSON.stringify(healthy));
      await system.drained();
      const job = await system.queue.getJob(String(bad.json.eventId));
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(3);
      const row = () => system.db.event.findUnique({ where: { eventId: String(bad.json.eventId) } });
      await expect.poll(async () => (await row())?.status).toBe('failed');
      expect(await row()).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringMatching(/poisoned applicant/) });
      expect(await system.db.event.findUnique({ where: { eventId: String(good.json.eventId) } })).toMatchObject({ status: 'applied' });
    } finally {
      await fault.cure();
    }
  });

  it('a job whose data breaks the contract fails at once, without retries', async () => {
    const rawBody = JSON.stringify(webhook());
    const data: EventJob = {
      v: 2,
      eventId: 'evt_not_this_body',
      rawBody,
      digest: signBody(rawBody, TEST_SECRET),
      digestAlgorithm: 'HMAC_SHA256_HEX',
      receivedAt: Date.now(),
      source: 'webhook',
    };
    const job = await system.queue.add(JOB_NAMES.applyEvent, data, { jobId: 'evt_not_this_body', attempts: 5 });
    await system.drained();
    const stored = await system.queue.getJob(String(job.id));
    expect(await stored?.getState()).toBe('failed');
    expect(stored?.attemptsMade).toBe(1);
    expect(stored?.failedReason).toMatch(/contract/);
  });

  it('stores a payload carrying NUL characters instead of failing on every attempt', async () => {
    const payload = webhook({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', moderationComment: 'bad\u0000photo' },
    });
    const body = JSON.stringify(payload);
    expect(body).toContain('\\u0000');
    const accepted = await postWebhook(system.url, body, { digest: signBody(body, TEST_SECRET) });
    await system.drained();
    expect(await system.db.event.findUnique({ where: { eventId: String(accepted.json.eventId) } })).toMatchObject({ status: 'applied' });
    expect(await system.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).toMatchObject({
      moderationComment: 'bad\uFFFDphoto',
    });
  });
});
