import { getJson, READ_TOKEN, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// A cursor is opaque to clients but decoded by the service: a forged one (out of
// range for PostgreSQL, the wrong shape) is the caller's error, a 400, never a
// query error (500).
const system = withSystem();
const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const q = (cursor: string) => encodeURIComponent(cursor);

const HUGE_ID = '9999999999999999999';
const FORGED: [label: string, cursor: string][] = [
  ['an id beyond bigint', forge([HUGE_ID])],
  ['a time of year -100000', forge(['-100000-01-01T00:00:00.000Z', 'evt_x'])],
  ['a time of year 275760', forge(['+275760-09-13T00:00:00.000Z', 'evt_x'])],
  ['a time before 1970', forge(['1969-12-31T23:59:59.999Z', 'evt_x'])],
  ['a time that is not ISO text', forge(['Tue, 01 May 2024 10:00:00 GMT', 'evt_x'])],
  ['a change position beyond bigint', forge([HUGE_ID, 'x'])],
  ['a negative id', forge(['-1'])],
  ['numbers instead of text', forge([1, 2])],
  ['an object', forge({ id: '1' })],
  ['no JSON', Buffer.from('not json').toString('base64url')],
  ['not base64url', '***'],
  ['an empty array', forge([])],
];

type Case = { route: string; call: (cursor: string) => Promise<{ status: number; json: Record<string, unknown> }> };
const CASES: Case[] = [
  { route: 'GET /applicants', call: (c) => getJson(`${system.apiUrl}/applicants?cursor=${q(c)}`, READ_TOKEN) },
  { route: 'GET /admin/audit', call: (c) => system.admin('GET', `/admin/audit?cursor=${q(c)}`) },
  { route: 'GET /admin/notifications', call: (c) => system.admin('GET', `/admin/notifications?cursor=${q(c)}`) },
  { route: 'GET /admin/events', call: (c) => system.admin('GET', `/admin/events?cursor=${q(c)}`) },
  { route: 'POST /admin/replay', call: (c) => system.admin('POST', '/admin/replay', { cursor: c, dryRun: true }) },
];

describe('forged cursors', () => {
  it.each(CASES.map((c) => [c.route, c] as const))('%s: every forged cursor is 400 invalid_cursor', async (_route, { call }) => {
    for (const [label, cursor] of FORGED) {
      const { status, json } = await call(cursor);
      expect({ label, status, json }).toEqual({ label, status: 400, json: { error: 'invalid_cursor', message: expect.any(String) } });
    }
  });

  it('the exact probes of the review: 400, not 500', async () => {
    const feed = await getJson(`${system.apiUrl}/applicants?cursor=${forge([HUGE_ID, 'x'])}`, READ_TOKEN);
    expect(feed.status).toBe(400);
    expect((await system.admin('GET', `/admin/audit?cursor=${forge([HUGE_ID])}`)).status).toBe(400);
    expect((await system.admin('GET', `/admin/notifications?cursor=${forge([HUGE_ID])}`)).status).toBe(400);
    const events = await system.admin('GET', `/admin/events?cursor=${forge(['-100000-01-01T00:00:00.000Z', 'evt_x'])}`);
    expect(events).toEqual(expect.objectContaining({ status: 400, json: { error: 'invalid_cursor', message: expect.any(String) } }));
  });

  it('cursors the service returned still work, at the edges of the ranges', async () => {
    expect((await getJson(`${system.apiUrl}/applicants?cursor=${forge(['9223372036854775807', 'x'])}`, READ_TOKEN)).status).toBe(200);
    expect((await system.admin('GET', `/admin/audit?cursor=${forge(['9223372036854775807'])}`)).status).toBe(200);
    expect((await system.admin('GET', `/admin/events?cursor=${forge(['9999-12-31T23:59:59.999Z', 'evt_x'])}`)).status).toBe(200);
    expect((await system.admin('GET', `/admin/events?cursor=${forge(['1970-01-01T00:00:00.000Z', 'evt_x'])}`)).status).toBe(200);
  });
});
