import { ADMIN_TOKEN, READ_TOKEN, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

const system = withSystem();

type Route = [method: string, path: string, body?: string];

const DASHBOARD_ROUTES: Route[] = [
  ['GET', '/admin/queues'],
  ['GET', '/admin/queues/api/queues'],
  ['PUT', '/admin/queues/api/queues/sumsub-events/retry/failed'],
];
const JSON_ADMIN_ROUTES: Route[] = [
  ['GET', '/metrics'],
  ['POST', '/admin/events/evt_00000000000000000000000000000000/replay', '{}'],
  // A filter that matches nothing: the test database is shared with other test files.
  ['POST', '/admin/replay', '{"applicantId":"auth-test-matches-nothing"}'],
  ['GET', '/admin/endpoints'],
  ['GET', '/admin/notifications?applicantId=auth-test-matches-nothing'],
  ['POST', '/admin/notifications/replay', '{"applicantId":"auth-test-matches-nothing"}'],
  ['DELETE', '/admin/endpoints/ep_matches_nothing'],
  ['POST', '/admin/reconcile', '{"applicantIds":["auth-test-matches-nothing"]}'],
];

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

async function call(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { ...headers };
  if (body !== undefined) all['content-type'] ??= 'application/json';
  return fetch(`${system.url}${path}`, { method, headers: all, ...(body === undefined ? {} : { body }) });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('admin routes', () => {
  it.each([...DASHBOARD_ROUTES, ...JSON_ADMIN_ROUTES])(
    '%s %s: 401 without or with wrong credentials, 403 with the read token',
    async (method, path, body) => {
      for (const auth of [undefined, 'Bearer wrong-token-0123456789', basic('wrong'), `Bearer ${ADMIN_TOKEN}x`]) {
        const response = await call(method, path, body, auth ? { authorization: auth } : {});
        expect(response.status, `${auth ?? 'none'}`).toBe(401);
        expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
      }
      const response = await call(method, path, body, bearer(READ_TOKEN));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: 'forbidden', message: expect.any(String) });
    },
  );

  it.each(DASHBOARD_ROUTES)('%s %s (dashboard): open to the admin token, as Bearer or as Basic password', async (method, path, body) => {
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, basic(ADMIN_TOKEN)]) {
      expect([200, 204, 404, 409]).toContain((await call(method, path, body, { authorization })).status);
    }
  });

  it.each(JSON_ADMIN_ROUTES)('%s %s: open to the admin token as Bearer only, never as Basic', async (method, path, body) => {
    expect([200, 204, 404, 409]).toContain((await call(method, path, body, bearer(ADMIN_TOKEN))).status);
    const viaBasic = await call(method, path, body, { authorization: basic(ADMIN_TOKEN) });
    expect(viaBasic.status).toBe(401);
  });

  it('asks a browser for Basic credentials on the dashboard only', async () => {
    expect((await call('GET', '/admin/queues', undefined)).headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await call('GET', '/metrics', undefined)).headers.get('www-authenticate')).toBeNull();
  });

  it('reads a Bearer header strictly: nothing after the token, one space, the token as it is', async () => {
    for (const authorization of [
      `Bearer ${ADMIN_TOKEN} junk`,
      `Bearer  ${ADMIN_TOKEN}`,
      `bearer${ADMIN_TOKEN}`,
      `Bearer ${ADMIN_TOKEN},Bearer x`,
      `Token ${ADMIN_TOKEN}`,
    ]) {
      expect((await call('GET', '/metrics', undefined, { authorization })).status, authorization).toBe(401);
    }
  });

  it('counts refused credentials by reason in kyc_auth_failures_total, audits none of them', async () => {
    const count = async (reason: string) => {
      const metric = await system.registry.getSingleMetric('kyc_auth_failures_total')?.get();
      return metric?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
    };
    const before = { missing: await count('missing'), invalid: await count('invalid'), forbidden: await count('forbidden') };
    await call('GET', '/admin/audit', undefined);
    await call('GET', '/admin/audit', undefined, bearer('wrong-token-0123456789'));
    await call('GET', '/admin/audit', undefined, { authorization: basic('wrong') });
    await call('GET', '/admin/audit', undefined, bearer(READ_TOKEN));
    expect(await count('missing')).toBe(before.missing + 1);
    expect(await count('invalid')).toBe(before.invalid + 2);
    expect(await count('forbidden')).toBe(before.forbidden + 1);
  });

  it('authenticates before it validates: an unauthenticated bad body is a 401, not a 400', async () => {
    const response = await call('POST', '/admin/replay', '{"status":"nonsense","extra":1}');
    expect(response.status).toBe(401);
    const badAsAdmin = await call('POST', '/admin/replay', '{"status":"nonsense"}', bearer(ADMIN_TOKEN));
    expect(badAsAdmin.status).toBe(400);
  });
});

describe('cross-site requests to admin routes (a browser with a cached login)', () => {
  const replay: Route = ['POST', '/admin/replay', '{"applicantId":"auth-test-matches-nothing"}'];

  it('refuses Sec-Fetch-Site: cross-site and a foreign Origin, also with valid credentials', async () => {
    const foreign: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }, { origin: 'null' }];
    for (const headers of foreign) {
      const response = await call(replay[0], replay[1], replay[2], { ...bearer(ADMIN_TOKEN), ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toEqual({ error: 'cross_site_request', message: expect.any(String) });
    }
    const dashboardWrite = await fetch(`${system.url}/admin/queues/api/queues/sumsub-events/retry/failed`, {
      method: 'PUT',
      headers: { authorization: basic(ADMIN_TOKEN), 'sec-fetch-site': 'cross-site' },
    });
    expect(dashboardWrite.status).toBe(403);
  });

  it('accepts same-origin and same-site requests, and requests without those headers (API clients)', async () => {
    const host = new URL(system.url).host;
    const own: Record<string, string>[] = [
      { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'same-site' },
      {},
    ];
    for (const headers of own) {
      const response = await call(replay[0], replay[1], replay[2], { ...bearer(ADMIN_TOKEN), ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it('requires Content-Type: application/json on admin POSTs (no HTML form can send it)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await call(replay[0], replay[1], replay[2], { ...bearer(ADMIN_TOKEN), 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(await response.json()).toEqual({ error: 'unsupported_media_type', message: expect.any(String) });
    }
    const noBody = await fetch(`${system.url}/admin/replay`, { method: 'POST', headers: bearer(ADMIN_TOKEN) });
    expect(noBody.status).toBe(415);
    // An empty body with the JSON content type means no filters (the type alone proves it is no form post).
    const emptyJson = await call('POST', '/admin/events/evt_00000000000000000000000000000000/replay', '', bearer(ADMIN_TOKEN));
    expect(emptyJson.status).toBe(404);
  });
});

describe('the dashboard is read-only but for retry, promote and clean', () => {
  const write = (method: string, path: string) =>
    fetch(`${system.url}/admin/queues/api/queues${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  it.each([
    ['POST', '/sumsub-events/add'],
    ['PATCH', '/sumsub-events/evt_x/update-data'],
    ['PATCH', '/sumsub-events/evt_x/delay'],
    ['PATCH', '/sumsub-events/evt_x/priority'],
    ['PUT', '/sumsub-events/empty'],
    ['PUT', '/sumsub-events/obliterate'],
    ['PUT', '/sumsub-events/pause'],
    ['PUT', '/pause'],
    ['PUT', '/sumsub-events/evt_x/clean'],
    ['PUT', '/sumsub-events/clean/waiting'],
    ['PUT', '/sumsub-events/clean/delayed'],
    ['PUT', '/sumsub-events/retry/completed'],
    ['PUT', '/sumsub-events/concurrency'],
    ['PUT', '/sumsub-events/rate-limit'],
  ])('%s %s answers 403', async (method, path) => {
    const response = await write(method, path);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'forbidden', message: expect.stringMatching(/read-only/) });
  });

  it.each([
    ['PUT', '/sumsub-events/retry/failed'],
    ['PUT', '/sumsub-events/promote'],
    ['PUT', '/sumsub-events/clean/failed'],
    ['PUT', '/sumsub-events/clean/completed'],
  ])('%s %s is allowed', async (method, path) => {
    expect((await write(method, path)).status).toBeLessThan(300);
  });
});
