import { ADMIN_TOKEN, READ_TOKEN, startReceiver, webhook, withSystem } from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { endpoints } from '../../packages/cli/src/commands/endpoints.ts';

describe('registering endpoints (NOTIFY_ALLOW_PRIVATE unset)', () => {
  const system = withSystem({ ownDatabase: true });

  it.each([
    ['http://127.0.0.1:9999/hook'],
    ['http://localhost:9999/hook'],
    ['http://[::1]/hook'],
    ['http://10.1.2.3/hook'],
    ['http://192.168.0.10/hook'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://[::ffff:127.0.0.1]/hook'],
  ])('refuses %s: it resolves to a loopback, private or link-local address', async (url) => {
    const response = await system.admin('POST', '/admin/endpoints', { url });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'endpoint_refused', message: expect.stringContaining('NOTIFY_ALLOW_PRIVATE') });
  });

  it.each([
    [{ url: 'ftp://93.184.215.14/hook' }, 'endpoint_refused'],
    [{ url: 'https://user:secret@93.184.215.14/hook' }, 'endpoint_refused'],
    [{ url: 'no url at all' }, 'endpoint_refused'],
    [{}, 'invalid_request'],
    [{ url: 'https://93.184.215.14/hook', secret: 'mine' }, 'invalid_request'],
    [{ url: 'https://93.184.215.14/hook', includeClientComment: 'yes' }, 'invalid_request'],
    [{ url: 'https://93.184.215.14/hook', description: 'x'.repeat(501) }, 'invalid_request'],
  ])('answers 400 with {error, message} for %j', async (body, error) => {
    const response = await system.admin('POST', '/admin/endpoints', body);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error, message: expect.any(String) });
  });

  it('accepts a public address; endpoints are admin-only', async () => {
    const created = await system.admin('POST', '/admin/endpoints', { url: 'https://93.184.215.14/hook', includeClientComment: true });
    expect(created.status).toBe(201);
    expect(created.json).toEqual(
      expect.objectContaining({ url: 'https://93.184.215.14/hook', includeClientComment: true, secret: expect.stringMatching(/^whsec_/) }),
    );
    for (const [method, path] of [
      ['GET', '/admin/endpoints'],
      ['POST', '/admin/endpoints'],
      ['DELETE', `/admin/endpoints/${created.json.id as string}`],
      ['POST', `/admin/endpoints/${created.json.id as string}/rotate-secret`],
      ['GET', '/admin/notifications'],
      ['POST', '/admin/notifications/replay'],
    ] as const) {
      const read = await fetch(`${system.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${READ_TOKEN}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(read.status, `${method} ${path}`).toBe(403);
    }
    expect((await system.admin('DELETE', `/admin/endpoints/${created.json.id as string}`)).status).toBe(204);
    expect(ADMIN_TOKEN).not.toBe(READ_TOKEN);
  });
});

describe('pnpm cli endpoints', () => {
  const system = withSystem({ ownDatabase: true });

  /** Runs the command; its exit code and what it printed. */
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      return { code: await endpoints([...args, '--url', system.url, '--token', ADMIN_TOKEN]), out: out.join('') };
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  }

  it('adds, lists, rotates and removes an endpoint', async () => {
    const added = await cli('add', 'https://93.184.215.14/kyc', '--description', 'onboarding');
    expect(added.code).toBe(0);
    const id = /^(ep_[0-9a-f]+)/.exec(added.out)?.[1] as string;
    expect(added.out).toMatch(/signing secret \(shown once\): whsec_/);
    const listed = await cli('list');
    expect(listed.out).toContain(id);
    expect(listed.out).toContain('onboarding');
    expect(listed.out).not.toContain('whsec_');
    const rotated = await cli('rotate', id);
    expect(rotated.out).toMatch(/new secret .* whsec_/);
    expect((await cli('remove', id)).out).toContain(`removed ${id}`);
    expect(await cli('remove', id)).toEqual({ code: 1, out: expect.stringContaining('404 not_found') });
    expect(await cli('add', 'http://127.0.0.1/hook')).toEqual({ code: 1, out: expect.stringContaining('400 endpoint_refused') });
    await expect(cli('frobnicate')).rejects.toThrow(/unknown action/);
  });
});

describe('the worker checks the address again when it connects', () => {
  // The ingest allowed a private endpoint (say, configured so before); the worker does not.
  const system = withSystem({
    ownDatabase: true,
    env: { NOTIFY_ALLOW_PRIVATE: '1', NOTIFY_BACKOFF_MS: '20', NOTIFY_ATTEMPTS: '2', NOTIFY_RELAY_INTERVAL_MS: '20' },
  });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('refuses loopback by name and by address at connect time: nothing reaches the receiver', async () => {
    for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')]) {
      expect((await system.admin('POST', '/admin/endpoints', { url })).status).toBe(201);
    }
    system.addWorkers(1, { NOTIFY_ALLOW_PRIVATE: '0' });
    const base = webhook();
    await system.post(base);
    await expect
      .poll(async () => (await system.admin('GET', '/admin/notifications?status=failed')).json.notifications, { timeout: 10_000 })
      .toEqual([
        expect.objectContaining({
          applicantId: base.applicantId,
          lastStatus: null,
          lastError: expect.stringMatching(/not a public address|non-public address/),
        }),
        expect.objectContaining({
          applicantId: base.applicantId,
          lastStatus: null,
          lastError: expect.stringMatching(/not a public address|non-public address/),
        }),
      ]);
    expect(receiver.messages).toEqual([]);
  });
});
