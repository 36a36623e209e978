import { type EventJob, JOB_NAMES } from '@kyc/jobs';
import { isParseFailure, parseWebhook, signBody } from '@kyc/sumsub-webhook';
import {
  freePort,
  PROCESS_ADMIN_TOKEN,
  PROCESS_SECRET,
  type ProcessSystem,
  postWebhook,
  startProcessSystem,
  webhook,
} from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The review's first finding, end to end with the production entry points in
// production mode: an admin (or anyone with Redis access) adds a job whose body
// says GREEN, dated 2030. Nothing but a body Sumsub signed may change a record.
let system: ProcessSystem;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  system = await startProcessSystem('forged', { workers: 0, env: { NODE_ENV: 'production', JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' } });
  system.addWorker({ METRICS_PORT: String(metricsPort) });
});
afterAll(async () => system?.stop());

const applicantId = `forged${Date.now()}`;

function jobFor(body: string, digest: string): EventJob {
  const parsed = parseWebhook(body);
  if (isParseFailure(parsed)) throw new Error(parsed.message);
  return {
    v: 2,
    eventId: parsed.eventId,
    rawBody: body,
    digest,
    digestAlgorithm: 'HMAC_SHA256_HEX',
    receivedAt: Date.now(),
    source: 'webhook',
  };
}

async function jobState(eventId: string) {
  const job = await system.queue.getJob(eventId);
  return { state: await job?.getState(), reason: job?.failedReason, attempts: job?.attemptsMade };
}

const record = () => system.db.applicant.findUnique({ where: { applicantId } });

describe('forged verdicts', () => {
  it('a genuine event signed by Sumsub is applied (the record the forgeries aim at)', async () => {
    const genuine = webhook({ applicantId, type: 'applicantPending', reviewStatus: 'pending', createdAtMs: '2026-01-01 10:00:00.000' });
    const answer = await postWebhook(system.url, JSON.stringify(genuine), { secret: PROCESS_SECRET });
    expect(answer.status).toBe(200);
    await expect.poll(async () => (await record())?.decision, { timeout: 30_000 }).toBe('pending');
  });

  const green2030 = JSON.stringify(
    webhook({
      applicantId,
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'GREEN' },
      createdAtMs: '2030-01-01 00:00:00.000',
    }),
  );

  it('cannot be added through the dashboard: its add-job route answers 403', async () => {
    const response = await fetch(`${system.apiUrl}/admin/queues/api/queues/sumsub-events/add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROCESS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: JOB_NAMES.applyEvent, data: jobFor(green2030, 'ab'.repeat(32)) }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'forbidden', message: expect.stringMatching(/read-only/) });
  });

  it('added through Redis directly, fails verification permanently and changes nothing', async () => {
    const forged = jobFor(green2030, signBody(green2030, 'a-secret-the-attacker-guessed'));
    await system.queue.add(JOB_NAMES.applyEvent, forged, { jobId: forged.eventId });
    await expect.poll(async () => (await jobState(forged.eventId)).state, { timeout: 30_000 }).toBe('failed');
    expect(await jobState(forged.eventId)).toMatchObject({ attempts: 1, reason: expect.stringMatching(/^signature verification failed/) });
    expect(await record()).toMatchObject({ decision: 'pending', reviewStatus: 'pending', hasReview: false });
    // A forged body is not stored: only the failed job and the metric remain.
    expect(await system.db.event.findUnique({ where: { eventId: forged.eventId } })).toBeNull();
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^kyc_job_verification_failures_total 1$/m);
    expect(metrics).toMatch(/^kyc_dead_letters_total\{kind="verification_failed"\} 1$/m);
  });

  it('signed with the real secret but dated 2030, is refused by the worker as permanent', async () => {
    // Another event (the forged one above holds its job id).
    const body = green2030.replace(/"correlationId":"[^"]+"/, '"correlationId":"req-signed-2030"');
    const signed = jobFor(body, signBody(body, PROCESS_SECRET));
    await system.queue.add(JOB_NAMES.applyEvent, signed, { jobId: signed.eventId });
    await expect.poll(async () => (await jobState(signed.eventId)).state, { timeout: 30_000 }).toBe('failed');
    expect(await jobState(signed.eventId)).toMatchObject({
      attempts: 1,
      reason: expect.stringMatching(/in the future \(MAX_CLOCK_SKEW_MS\)/),
    });
    expect(await record()).toMatchObject({ decision: 'pending' });
  });

  it('the worker serves /healthz and /readyz beside /metrics on its operations port', async () => {
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { redis: 'ok', database: 'ok', migrations: 'ok', consuming: 'ok', sumsubApi: 'off' },
    });
  });
});
