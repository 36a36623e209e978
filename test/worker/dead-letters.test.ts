import { type EventJob, JOB_NAMES, signBody } from '@kyc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../support/http.ts';
import { startTestIngest, type TestIngest } from '../support/ingest-harness.ts';
import { webhook } from '../support/payloads.ts';
import { poisonApplicant } from '../support/poison.ts';
import { drain, startTestWorkers } from '../support/worker-harness.ts';

let ingest: TestIngest;
let workers: ReturnType<typeof startTestWorkers>;
beforeAll(async () => {
  ingest = await startTestIngest({ JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '20' });
  workers = startTestWorkers(ingest.config, 1);
});
afterAll(async () => {
  await workers.stop();
  await ingest.stop();
});

describe('dead letters', () => {
  it('a poison event exhausts its attempts, stays in the failed set and is marked failed; the rest flows on', async () => {
    const poison = webhook({ applicantId: `poison${Date.now()}` });
    const healthy = webhook();
    const fault = await poisonApplicant(ingest.config.DATABASE_URL, String(poison.applicantId));
    try {
      const bad = await postWebhook(ingest.url, JSON.stringify(poison));
      const good = await postWebhook(ingest.url, JSON.stringify(healthy));
      await drain(ingest.queue);
      const job = await ingest.queue.getJob(String(bad.json.eventId));
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(3);
      const deadline = Date.now() + 5000;
      let row = await ingest.db.event.findUnique({ where: { eventId: String(bad.json.eventId) } });
      while (row?.status !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        row = await ingest.db.event.findUnique({ where: { eventId: String(bad.json.eventId) } });
      }
      expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringMatching(/poisoned applicant/) });
      expect(await ingest.db.event.findUnique({ where: { eventId: String(good.json.eventId) } })).toMatchObject({ status: 'applied' });
    } finally {
      await fault.cure();
    }
  });

  it('a job whose data breaks the contract fails at once, without retries', async () => {
    const data: EventJob = {
      v: 1,
      eventId: 'evt_not_this_body',
      rawBody: JSON.stringify(webhook()),
      receivedAt: Date.now(),
      digestAlgorithm: 'HMAC_SHA256_HEX',
    };
    const job = await ingest.queue.add(JOB_NAMES.applyEvent, data, { jobId: 'evt_not_this_body', attempts: 5 });
    await drain(ingest.queue);
    const stored = await ingest.queue.getJob(String(job.id));
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
    const accepted = await postWebhook(ingest.url, body, { digest: signBody(body, 'test-webhook-secret') });
    await drain(ingest.queue);
    expect(await ingest.db.event.findUnique({ where: { eventId: String(accepted.json.eventId) } })).toMatchObject({ status: 'applied' });
    expect(await ingest.db.applicant.findUnique({ where: { applicantId: String(payload.applicantId) } })).toMatchObject({
      moderationComment: 'bad\uFFFDphoto',
    });
  });
});
