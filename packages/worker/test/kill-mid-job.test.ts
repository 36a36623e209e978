import { isParseFailure, parseWebhookValue } from '@kyc/sumsub-webhook';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { killProcess, postWebhook, spawnWorkerProcess, TEST_SECRET, webhook, withSystem } from '@kyc/test-support';

const system = withSystem({ env: { WORKER_LOCK_MS: '1500' } });

function workerEnv(): Record<string, string> {
  const { config } = system;
  return {
    NODE_ENV: 'test',
    REDIS_URL: config.REDIS_URL,
    DATABASE_URL: config.DATABASE_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    WORKER_LOCK_MS: '1500',
    JOB_BACKOFF_MS: '50',
  };
}

describe('a worker process killed mid-job', () => {
  it('leaves the stalled job to be picked up again, and the event applies exactly once', async () => {
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const applicantId = String(payload.applicantId);
    const parsed = parseWebhookValue(payload);
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    // An uncommitted row for this very event: the worker's statement waits on it,
    // so the worker is stopped inside its transaction (and nobody else is).
    const blocker = new pg.Client({ connectionString: system.config.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, payload, received_at, status)
       VALUES ($1, $2, 'blocker', 'blocker', now(), '{}', now(), 'failed')`,
      [parsed.eventId, applicantId],
    );

    const first = spawnWorkerProcess(workerEnv());
    const accepted = await postWebhook(system.url, JSON.stringify(payload));
    expect(accepted.json.status).toBe('accepted');
    await expect.poll(() => system.queue.getActiveCount(), { timeout: 20_000, message: 'the job becomes active' }).toBe(1);
    const waiting = async () =>
      (await blocker.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted"))
        .rows[0]?.n;
    await expect.poll(waiting, { timeout: 20_000, message: "the worker waits on the event's row" }).toBeGreaterThan(0);
    await killProcess(first, 'SIGKILL');
    await blocker.query('ROLLBACK');
    await blocker.end();

    const second = spawnWorkerProcess(workerEnv());
    try {
      await system.drained(30_000);
    } finally {
      await killProcess(second, 'SIGTERM');
    }
    const applicant = await system.db.applicant.findUniqueOrThrow({ where: { applicantId } });
    expect(applicant).toMatchObject({ eventCount: 1, reviewAnswer: 'GREEN', hasReview: true });
    const events = await system.db.event.findMany({ where: { applicantId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventId: accepted.json.eventId, status: 'applied' });
    const job = await system.queue.getJob(String(accepted.json.eventId));
    expect(await job?.getState()).toBe('completed');
  });
});
