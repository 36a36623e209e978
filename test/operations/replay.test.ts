import { describe, expect, it } from 'vitest';
import { replay } from '../../packages/cli/src/commands/replay.ts';
import { applyEventsStatement, prismaSql } from '@kyc/db';
import { eventJob } from '@kyc/jobs';
import { signBody } from '@kyc/sumsub-webhook';
import { ADMIN_TOKEN, ledgerEvent, postWebhook, withSystem, webhook, poisonApplicant } from '@kyc/test-support';

const system = withSystem({ env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '10' }, workers: 1 });

async function admin(path: string, body?: unknown) {
  const response = await fetch(`${system.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function deadLetter(fields: Record<string, unknown> = {}) {
  const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' }, ...fields });
  const fault = await poisonApplicant(system.config.DATABASE_URL, String(payload.applicantId));
  const { json } = await postWebhook(system.url, JSON.stringify(payload));
  await system.drained();
  await expect.poll(async () => (await system.db.event.findUnique({ where: { eventId: String(json.eventId) } }))?.status).toBe('failed');
  await fault.cure();
  return { eventId: String(json.eventId), applicantId: String(payload.applicantId) };
}

describe('replay', () => {
  it('re-runs one dead letter and applies it', async () => {
    const { eventId, applicantId } = await deadLetter();
    expect(await admin(`/admin/events/${eventId}/replay`)).toEqual({ status: 200, json: { eventId, status: 'replayed' } });
    await system.drained();
    expect(await system.db.event.findUnique({ where: { eventId } })).toMatchObject({ status: 'applied', lastError: null });
    expect(await system.db.applicant.findUnique({ where: { applicantId } })).toMatchObject({ reviewAnswer: 'GREEN', eventCount: 1 });
  });

  it('works from PostgreSQL after Redis has dropped the job', async () => {
    const { eventId, applicantId } = await deadLetter();
    await (await system.queue.getJob(eventId))?.remove();
    expect(await system.queue.getJob(eventId)).toBeUndefined();
    const result = await admin('/admin/replay', { status: 'failed', applicantId });
    expect(result).toEqual({
      status: 200,
      json: { matched: 1, replayed: 1, replayedEventIds: [eventId], alreadyQueued: 0, notReplayable: 0, nextCursor: null },
    });
    await system.drained();
    expect(await system.db.applicant.findUnique({ where: { applicantId } })).toMatchObject({ reviewAnswer: 'GREEN', eventCount: 1 });
  });

  it('changes nothing when the event was already applied', async () => {
    const payload = webhook();
    const { json } = await postWebhook(system.url, JSON.stringify(payload));
    await system.drained();
    const before = await system.db.applicant.findUniqueOrThrow({ where: { applicantId: String(payload.applicantId) } });
    expect(await admin(`/admin/events/${String(json.eventId)}/replay`)).toMatchObject({ status: 200, json: { status: 'replayed' } });
    await system.drained();
    const after = await system.db.applicant.findUniqueOrThrow({ where: { applicantId: String(payload.applicantId) } });
    expect(after).toEqual(before);
  });

  it('filters by type, applicant and receipt time, pages with limit and cursor, and counts', async () => {
    const applicantId = `replay-filter-${Date.now()}`;
    const since = new Date().toISOString();
    for (let i = 0; i < 5; i++) {
      await postWebhook(
        system.url,
        JSON.stringify(
          webhook({ applicantId, type: i % 2 ? 'applicantPending' : 'applicantOnHold', createdAtMs: `2024-05-01 10:00:0${i}.000` }),
        ),
      );
    }
    await system.drained();
    const page1 = await admin('/admin/replay', { applicantId, since, limit: 2 });
    expect(page1.json).toMatchObject({ matched: 2, replayed: 2, nextCursor: expect.any(String) });
    const page2 = await admin('/admin/replay', { applicantId, since, limit: 2, cursor: page1.json.nextCursor });
    const page3 = await admin('/admin/replay', { applicantId, since, limit: 2, cursor: page2.json.nextCursor });
    expect([page2.json.matched, page3.json.matched, page3.json.nextCursor]).toEqual([2, 1, null]);
    expect((await admin('/admin/replay', { applicantId, type: 'applicantPending' })).json).toMatchObject({ matched: 2 });
    expect((await admin('/admin/replay', { applicantId, until: since })).json).toMatchObject({ matched: 0 });
    await system.drained();
    expect(await system.db.applicant.findUnique({ where: { applicantId } })).toMatchObject({ eventCount: 5 });
  });

  it('runs from the CLI, by event and by filters', async () => {
    const one = await deadLetter();
    const two = await deadLetter();
    const cli = ['--url', system.url, '--token', ADMIN_TOKEN];
    expect(await replay(['--event', one.eventId, ...cli])).toBe(0);
    expect(await replay(['--status', 'failed', '--applicant', two.applicantId, ...cli])).toBe(0);
    await system.drained();
    for (const { eventId } of [one, two])
      expect(await system.db.event.findUnique({ where: { eventId } })).toMatchObject({ status: 'applied' });
    expect(await replay(['--event', 'evt_ffffffffffffffffffffffffffffffff', ...cli])).toBe(1);
  });

  it('marks a stored event failed when its stored body no longer verifies, and only its own body', async () => {
    // Stored under a secret since retired and removed: the worker cannot verify it any more.
    const payload = webhook({ type: 'applicantReviewed', reviewStatus: 'completed', reviewResult: { reviewAnswer: 'GREEN' } });
    const retired = ledgerEvent(payload);
    const stored = { ...retired, digest: signBody(retired.rawBody, 'a-secret-since-removed') };
    const { text, values } = applyEventsStatement([stored]);
    await prismaSql(system.db).query(text, values);
    const { eventId } = stored;

    // A job naming the stored event's id with another body fails too, and changes nothing in the database.
    const forged = eventJob({
      eventId,
      rawBody: stored.rawBody,
      digest: signBody(stored.rawBody, 'a-guessed-secret'),
      digestAlgorithm: stored.digestAlgorithm,
      receivedAt: stored.receivedAt,
      source: 'webhook',
      account: 'default',
    });
    await system.queue.add(forged.name, forged.data, forged.opts);
    await expect.poll(async () => (await system.queue.getJob(eventId))?.failedReason).toMatch(/^signature verification failed/);
    expect(await system.db.event.findUnique({ where: { eventId } })).toMatchObject({ status: 'applied', lastError: null });

    await (await system.queue.getJob(eventId))?.remove();
    expect(await admin(`/admin/events/${eventId}/replay`)).toEqual({ status: 200, json: { eventId, status: 'replayed' } });
    await expect
      .poll(async () => system.db.event.findUnique({ where: { eventId } }))
      .toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^VerificationFailed: signature verification failed/) });
    // So a replay by status finds it, as the dashboard's failed set does.
    const byStatus = await admin('/admin/replay', { status: 'failed', applicantId: String(payload.applicantId), dryRun: true });
    expect(byStatus.json).toEqual({ matched: 1, dryRun: true });
  });

  it('answers 404 for an unknown event and 400 for bad filters', async () => {
    expect(await admin('/admin/events/evt_ffffffffffffffffffffffffffffffff/replay')).toMatchObject({
      status: 404,
      json: { error: 'not_found' },
    });
    expect((await admin('/admin/replay', { status: 'lost' })).status).toBe(400);
    expect((await admin('/admin/replay', { applicantId: 'nobody-at-all' })).json).toMatchObject({ matched: 0, replayed: 0 });
    expect((await admin('/admin/replay', { since: 'yesterday' })).status).toBe(400);
    expect((await admin('/admin/replay', { cursor: 'nonsense' })).json).toMatchObject({ error: 'invalid_cursor' });
  });
});
