import { ADMIN_TOKEN, fixtureJson, READ_TOKEN, startFakeSumsub, webhook, withSystem, type FakeSumsub } from '@kyc/test-support';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { reconcile } from '../../packages/cli/src/commands/reconcile.ts';
import { at, completedReview } from './events.ts';

const fake: FakeSumsub = await startFakeSumsub();
afterAll(() => fake.stop());

const system = withSystem({ workers: 1, env: fake.env });

/** Sumsub's /status for a review at second s, in Sumsub's API time format. */
const status = (second: number, reviewStatus: string, result?: Record<string, unknown>, reviewId = 'rev1') => ({
  ...fixtureJson('status-init.json'),
  reviewId,
  attemptId: `att-${second}`,
  createDate: `2024-05-01 10:00:${String(second).padStart(2, '0')}+0000`,
  reviewDate: `2024-05-01 10:00:${String(second).padStart(2, '0')}+0000`,
  reviewStatus,
  ...(result ? { reviewResult: result } : {}),
});

type Record_ = { decision: string; reviewStatus: string; version: number; lastEventType: string };
const record = async (id: string) => (await system.get(`/applicants/${id}`, ADMIN_TOKEN)).json as unknown as Record_;
const events = async (id: string) =>
  ((await system.get(`/applicants/${id}/events`, READ_TOKEN)).json.events as { source: string; eventId: string; type: string }[]) ?? [];

describe('reconciliation: POST /admin/reconcile', () => {
  it('heals an applicant whose final webhook never came, and says so', async () => {
    const id = webhook().applicantId as string;
    await system.post(webhook({ applicantId: id, type: 'applicantPending', reviewStatus: 'pending', createdAtMs: at(1) }));
    await system.drained();
    fake.setStatus(id, status(30, 'completed', { reviewAnswer: 'GREEN' }));
    const answer = await system.admin('POST', '/admin/reconcile', { applicantIds: [id] });
    expect(answer).toEqual(
      expect.objectContaining({
        status: 200,
        json: { checked: 1, updated: 1, unchanged: 0, notFound: 0, failed: 0, pending: 0, nextCursor: null },
      }),
    );
    expect(await record(id)).toEqual(
      expect.objectContaining({ decision: 'approved', reviewStatus: 'completed', lastEventType: 'applicantReviewed' }),
    );
    expect((await events(id)).map((e) => e.source)).toEqual(['webhook', 'reconcile']);
  });

  it('is idempotent: the same review read again changes nothing', async () => {
    const id = webhook().applicantId as string;
    await system.post(webhook({ applicantId: id, createdAtMs: at(1) }));
    await system.drained();
    fake.setStatus(id, status(30, 'completed', { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] }));
    expect((await system.admin('POST', '/admin/reconcile', { applicantIds: [id] })).json).toEqual(expect.objectContaining({ updated: 1 }));
    const once = await record(id);
    expect((await system.admin('POST', '/admin/reconcile', { applicantIds: [id] })).json).toEqual(
      expect.objectContaining({ updated: 0, unchanged: 1 }),
    );
    expect(await record(id)).toEqual(once);
    expect(await events(id)).toHaveLength(2);
  });

  it('never regresses a newer webhook; a later webhook still wins over a reconciled review', async () => {
    const id = webhook().applicantId as string;
    await system.post(webhook({ applicantId: id, ...completedReview(40, 'GREEN') }));
    await system.drained();
    fake.setStatus(id, status(20, 'pending'));
    expect((await system.admin('POST', '/admin/reconcile', { applicantIds: [id] })).json).toEqual(
      expect.objectContaining({ checked: 1, updated: 0, unchanged: 1 }),
    );
    expect((await record(id)).decision).toBe('approved');

    const other = webhook().applicantId as string;
    await system.post(webhook({ applicantId: other, createdAtMs: at(1) }));
    await system.drained();
    fake.setStatus(other, status(20, 'onHold'));
    expect((await system.admin('POST', '/admin/reconcile', { applicantIds: [other] })).json).toEqual(
      expect.objectContaining({ updated: 1 }),
    );
    expect((await record(other)).decision).toBe('on_hold');
    await system.post(webhook({ applicantId: other, ...completedReview(50, 'GREEN') }));
    await system.drained();
    expect((await record(other)).decision).toBe('approved');
  });

  it('a reconciled RED review gets its document results; a replayed reconcile event verifies', async () => {
    const id = webhook().applicantId as string;
    await system.post(webhook({ applicantId: id, createdAtMs: at(1) }));
    await system.drained();
    fake.setStatus(
      id,
      status(30, 'completed', { reviewAnswer: 'RED', reviewRejectType: 'RETRY', rejectLabels: ['DOCUMENT_PAGE_MISSING'] }),
    );
    fake.setDocuments(id, fixtureJson('requiredIdDocsStatus-red.json'));
    expect((await system.admin('POST', '/admin/reconcile', { applicantIds: [id] })).json).toEqual(expect.objectContaining({ updated: 1 }));
    await expect
      .poll(async () => ((await system.get(`/applicants/${id}`, READ_TOKEN)).json.documents as unknown[]).length, { timeout: 10_000 })
      .toBe(5);
    const reconciled = (await events(id)).find((e) => e.source === 'reconcile');
    const replay = await system.admin('POST', `/admin/events/${reconciled?.eventId ?? ''}/replay`);
    expect(replay.json).toEqual({ eventId: reconciled?.eventId, status: 'replayed' });
    await system.drained();
    const failed = await system.queue.getFailed();
    expect(failed.map((j) => j.id)).not.toContain(reconciled?.eventId);
  });

  it('counts an applicant Sumsub does not know, and a call that fails', async () => {
    const unknown = webhook().applicantId as string;
    const failing = webhook().applicantId as string;
    fake.setStatus(failing, status(30, 'pending'));
    fake.failNext({ status: 400 });
    const answer = await system.admin('POST', '/admin/reconcile', { applicantIds: [failing, unknown] });
    expect(answer.json).toEqual(expect.objectContaining({ checked: 1, notFound: 1, failed: 1, updated: 0 }));
  });

  it('staleAfter: every applicant not completed whose newest event is older, in pages (and the CLI)', async () => {
    const stale = Array.from({ length: 5 }, () => webhook().applicantId as string);
    for (const id of stale) {
      await system.post(webhook({ applicantId: id, createdAtMs: at(1) }));
      fake.setStatus(id, status(30, 'completed', { reviewAnswer: 'GREEN' }));
    }
    await system.drained();
    const first = await system.admin('POST', '/admin/reconcile', { staleAfter: '1h', limit: 2 });
    expect(first.json).toEqual(expect.objectContaining({ checked: expect.any(Number), nextCursor: expect.any(String) }));
    const output: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => output.push(String(chunk)) > 0);
    try {
      expect(await reconcile(['--stale-after', '1h', '--url', system.url, '--token', ADMIN_TOKEN])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(output.join('')).toMatch(/checked \d+, updated \d+, unchanged \d+, not found \d+, failed 0/);
    for (const id of stale) expect((await record(id)).decision).toBe('approved');
  });

  it.each([
    [{}, 'invalid_request'],
    [{ applicantIds: ['a'], staleAfter: '1h' }, 'invalid_request'],
    [{ staleAfter: 'an hour' }, 'invalid_request'],
    [{ applicantIds: [] }, 'invalid_request'],
  ])('answers 400 for %j', async (body, error) => {
    const answer = await system.admin('POST', '/admin/reconcile', body);
    expect(answer).toEqual(expect.objectContaining({ status: 400, json: { error, message: expect.any(String) } }));
  });
});

describe('RECONCILE_INTERVAL: a scheduler heals stale applicants by itself', () => {
  // A database of its own: in the run's shared one, every other file's pending
  // applicants are stale too, and each run would queue them all ahead of this one.
  const scheduled = withSystem({ workers: 1, ownDatabase: true, env: { ...fake.env, RECONCILE_INTERVAL: '1s' } });

  it('reconciles an applicant left pending, without anyone asking', async () => {
    const id = webhook().applicantId as string;
    await scheduled.post(webhook({ applicantId: id, createdAtMs: at(1) }));
    fake.setStatus(id, status(30, 'completed', { reviewAnswer: 'GREEN' }));
    await expect
      .poll(async () => (await scheduled.get(`/applicants/${id}`, READ_TOKEN)).json.decision as string, { timeout: 15_000 })
      .toBe('approved');
  });
});

describe('without a Sumsub API token', () => {
  const off = withSystem();

  it('the API actions answer 409 sumsub_api_off and /readyz says off', async () => {
    const answer = await off.admin('POST', '/admin/reconcile', { applicantIds: ['x'] });
    expect(answer).toEqual(
      expect.objectContaining({ status: 409, json: { error: 'sumsub_api_off', message: expect.stringContaining('SUMSUB_APP_TOKEN') } }),
    );
    expect((await off.admin('POST', '/admin/applicants/x/refresh')).status).toBe(409);
    const ready = (await (await fetch(`${off.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.sumsubApi).toBe('off');
  });
});
