import { webhook, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdefgh';
const system = withSystem({ workers: 1, ownDatabase: true, env: { API_ADMIN_TOKENS: `alice=${ALICE},bob=${BOB}` } });

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${system.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
};

const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;
const TYPES = ['applicantCreated', 'applicantPending', 'applicantOnHold', 'applicantPrechecked', 'applicantReviewed'];

describe('GET /admin/events and replay dry runs share one filter', () => {
  const applicantId = webhook().applicantId as string;

  it('lists events with payloads, filtered and paginated', async () => {
    for (const [i, type] of TYPES.entries())
      await system.post(webhook({ applicantId, type, info: { firstName: 'Zoë' }, createdAtMs: at(i) }));
    await system.drained();
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: Record<string, unknown> } = await call(
        ALICE,
        'GET',
        `/admin/events?applicantId=${applicantId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...(page.json.events as Record<string, unknown>[]));
      cursor = page.json.nextCursor as string | null;
    } while (cursor);
    expect(seen.map((e) => e.type).sort()).toEqual([...TYPES].sort());
    expect(seen[0]).toEqual(
      expect.objectContaining({
        applicantId,
        source: 'webhook',
        status: 'applied',
        payload: expect.objectContaining({ info: { firstName: 'Zoë' } }),
      }),
    );
    const onlyOne = await call(ALICE, 'GET', `/admin/events?applicantId=${applicantId}&type=applicantOnHold&source=webhook`);
    expect((onlyOne.json.events as unknown[]).length).toBe(1);
    expect((await call(ALICE, 'GET', `/admin/events?applicantId=${applicantId}&source=reconcile`)).json.events).toEqual([]);
    expect((await call(ALICE, 'GET', '/admin/events?colour=blue')).status).toBe(400);
  });

  it('POST /admin/replay {dryRun: true} answers {matched} and replays nothing', async () => {
    const jobsBefore = await system.jobCount();
    const dry = await call(BOB, 'POST', '/admin/replay', { applicantId, dryRun: true });
    expect(dry).toEqual({ status: 200, json: { matched: 5, dryRun: true } });
    const typed = await call(BOB, 'POST', '/admin/replay', { applicantId, type: 'applicantReviewed', source: 'webhook', dryRun: true });
    expect(typed.json).toEqual({ matched: 1, dryRun: true });
    expect(await system.jobCount()).toBe(jobsBefore);
  });
});

describe('every admin action is attributable', () => {
  it('writes an audit row with the token name for each action and clientComment read', async () => {
    const applicantId = webhook().applicantId as string;
    await system.post(
      webhook({
        applicantId,
        type: 'applicantReviewed',
        reviewStatus: 'completed',
        reviewResult: { reviewAnswer: 'RED', clientComment: 'x' },
      }),
    );
    await system.drained();
    const since = new Date().toISOString();
    await call(ALICE, 'GET', `/applicants/${applicantId}`);
    await call(BOB, 'POST', '/admin/replay', { applicantId });
    const endpoint = await call(ALICE, 'POST', '/admin/endpoints', { url: 'https://93.184.215.14/hooks?token=secret-in-url' });
    await call(BOB, 'DELETE', `/admin/endpoints/${endpoint.json.id as string}`);
    await call(ALICE, 'POST', '/admin/purge', { olderThanDays: 3650 });
    await call(BOB, 'PUT', '/admin/queues/api/queues/sumsub-events/retry/failed');
    await call(ALICE, 'DELETE', `/admin/applicants/${applicantId}`);
    const audit = await call(ALICE, 'GET', `/admin/audit?since=${encodeURIComponent(since)}`);
    const entries = (audit.json.entries as { actor: string; action: string; target: string | null }[]).map((e) => [e.actor, e.action]);
    expect(entries).toEqual([
      ['alice', 'read.applicant'],
      ['bob', 'replay'],
      ['alice', 'endpoint.create'],
      ['bob', 'endpoint.remove'],
      ['alice', 'purge'],
      ['bob', 'dashboard'],
      ['alice', 'erase'],
    ]);
    expect(JSON.stringify(audit.json)).not.toContain('secret-in-url');
    const byBob = await call(ALICE, 'GET', `/admin/audit?since=${encodeURIComponent(since)}&actor=bob&limit=2`);
    expect((byBob.json.entries as unknown[]).length).toBe(2);
    expect(byBob.json.nextCursor).toEqual(expect.any(String));
  });
});
