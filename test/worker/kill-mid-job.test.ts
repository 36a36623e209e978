import { isParseFailure, parseWebhookValue } from '@kyc/contracts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../support/http.ts';
import { startTestIngest, type TestIngest } from '../support/ingest-harness.ts';
import { webhook } from '../support/payloads.ts';
import { drain, killProcess, spawnWorkerProcess } from '../support/worker-harness.ts';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startTestIngest({ WORKER_LOCK_MS: '1500' });
});
afterAll(async () => ingest.stop());

function workerEnv(): Record<string, string> {
  const { config } = ingest;
  return {
    NODE_ENV: 'test',
    REDIS_URL: config.REDIS_URL,
    DATABASE_URL: config.DATABASE_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    SUMSUB_WEBHOOK_SECRET: 'unused-by-the-worker',
    WORKER_LOCK_MS: '1500',
    JOB_BACKOFF_MS: '50',
  };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a worker process killed mid-job', () => {
  it('leaves the stalled job to be picked up again, and the event applies exactly once', async () => {
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const applicantId = String(payload.applicantId);
    const parsed = parseWebhookValue(payload);
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    // An uncommitted row for this very event: the worker's statement waits on it,
    // so the worker is stopped inside its transaction (and nobody else is).
    const blocker = new pg.Client({ connectionString: ingest.config.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, payload, received_at, status)
       VALUES ($1, $2, 'blocker', 'blocker', now(), '{}', now(), 'failed')`,
      [parsed.eventId, applicantId],
    );

    const first = spawnWorkerProcess(workerEnv());
    const accepted = await postWebhook(ingest.url, JSON.stringify(payload));
    expect(accepted.json.status).toBe('accepted');
    await waitFor(async () => (await ingest.queue.getActiveCount()) === 1, 'the job to become active');
    await waitFor(
      async () =>
        (await blocker.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted")).rows[0].n > 0,
      "the worker to wait on the event's row",
    );
    await killProcess(first, 'SIGKILL');
    await blocker.query('ROLLBACK');
    await blocker.end();

    const second = spawnWorkerProcess(workerEnv());
    try {
      await drain(ingest.queue, 30_000);
    } finally {
      await killProcess(second, 'SIGTERM');
    }
    const applicant = await ingest.db.applicant.findUniqueOrThrow({ where: { applicantId } });
    expect(applicant).toMatchObject({ eventCount: 1, reviewAnswer: 'GREEN', hasReview: true });
    const events = await ingest.db.event.findMany({ where: { applicantId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventId: accepted.json.eventId, status: 'applied' });
    const job = await ingest.queue.getJob(String(accepted.json.eventId));
    expect(await job?.getState()).toBe('completed');
  });
});
