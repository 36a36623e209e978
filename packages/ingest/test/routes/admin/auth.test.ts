import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, READ_TOKEN, withSystem } from '@kyc/test-support';

const system = withSystem();

const ADMIN_ROUTES: [method: string, path: string, body?: string][] = [
  ['GET', '/admin/queues'],
  ['GET', '/admin/queues/api/queues'],
  ['PUT', '/admin/queues/api/queues/sumsub-events/retry/failed'],
  ['GET', '/metrics'],
  ['POST', '/admin/events/evt_00000000000000000000000000000000/replay'],
  // A filter that matches nothing: the test database is shared with other test files.
  ['POST', '/admin/replay', '{"applicantId":"auth-test-matches-nothing"}'],
];

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

async function call(method: string, path: string, body: string | undefined, authorization?: string) {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${system.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

describe('admin routes', () => {
  it.each(ADMIN_ROUTES)('%s %s: 401 without or with wrong credentials, 403 with the read token', async (method, path, body) => {
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', basic('wrong'), `Bearer ${ADMIN_TOKEN}x`]) {
      const response = await call(method, path, body, auth);
      expect(response.status, `${auth ?? 'none'}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    }
    for (const auth of [`Bearer ${READ_TOKEN}`, basic(READ_TOKEN)]) {
      const response = await call(method, path, body, auth);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'forbidden' });
    }
  });

  it.each(ADMIN_ROUTES)('%s %s: open to the admin token, as Bearer or as Basic password', async (method, path, body) => {
    for (const auth of [`Bearer ${ADMIN_TOKEN}`, basic(ADMIN_TOKEN)]) {
      const response = await call(method, path, body, auth);
      expect([200, 404]).toContain(response.status);
    }
  });

  it('asks a browser for Basic credentials on the dashboard', async () => {
    const response = await call('GET', '/admin/queues', undefined);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });
});
