import { connect } from 'node:net';
import { signBody } from '@kyc/sumsub-webhook';
import { ADMIN_TOKEN, getJson, postWebhook, READ_TOKEN, TEST_SECRET, webhook, withSystem, within } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// Findings of the security review that live in the HTTP surface, each pinned.
// With a second Sumsub account configured: the default account's surface must not change.
const system = withSystem({
  env: {
    REQUEST_TIMEOUT_MS: '1500',
    HEADERS_TIMEOUT_MS: '1000',
    WEBHOOK_ALGORITHMS: 'HMAC_SHA256_HEX,HMAC_SHA512_HEX',
    SUMSUB_ACCOUNTS: 'sandbox',
    SUMSUB_ACCOUNT_SANDBOX_WEBHOOK_SECRET: 'sandbox-secret',
  },
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** Sends raw bytes on one socket and resolves with everything received until the server closes it. */
function rawExchange(port: number, chunks: string[], gapMs = 0): Promise<{ text: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => {
      void (async () => {
        for (const chunk of chunks) {
          socket.write(chunk);
          if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
        }
      })();
    });
    socket.on('data', (data) => (text += data.toString('utf8')));
    socket.on('close', () => resolve({ text }));
    socket.on('error', reject);
  });
}

describe('slow clients', () => {
  it('a client that stalls mid-body is cut within REQUEST_TIMEOUT_MS with a JSON 408, while others are served', async () => {
    const port = Number(new URL(system.url).port);
    const stalled = rawExchange(port, [
      'POST /webhooks/sumsub HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nX-Payload-Digest: 00\r\n\r\n{"applicantId":',
    ]);
    // Meanwhile the service answers everybody else.
    for (let i = 0; i < 5; i++) expect((await postWebhook(system.url, JSON.stringify(webhook()))).status).toBe(200);
    // Cut by the configured 1.5 s, not Node's default 300 s: the bound only ends a wait that would never end.
    const { text } = await within(stalled, 30_000, 'the stalled client cut by REQUEST_TIMEOUT_MS');
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('{"error":"request_timeout"');
  });

  it('headers that never finish are cut too, with the same JSON 408', async () => {
    const port = Number(new URL(system.url).port);
    const exchange = rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n']);
    const { text } = await within(exchange, 30_000, 'the unfinished headers cut by HEADERS_TIMEOUT_MS');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('{"error":"request_timeout"');
  });

  it('refuses a body over MAX_BODY_BYTES (256 KiB by default) from its Content-Length', async () => {
    const body = JSON.stringify(webhook({ padding: 'x'.repeat(300 * 1024) }));
    const result = await postWebhook(system.url, body);
    expect(result).toMatchObject({ status: 413, json: { error: 'payload_too_large', message: expect.any(String) } });
  });
});

describe('client mistakes are 4xx with {error, message}, never 500', () => {
  it('a POST with a digest but no body and no content type', async () => {
    const response = await fetch(`${system.url}/webhooks/sumsub`, { method: 'POST', headers: { 'x-payload-digest': '0'.repeat(64) } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_signature', message: expect.any(String) });
    // Signed correctly, the empty body is then refused as what it is.
    const signedEmpty = await fetch(`${system.url}/webhooks/sumsub`, {
      method: 'POST',
      headers: { 'x-payload-digest': signBody('', TEST_SECRET) },
    });
    expect(signedEmpty.status).toBe(400);
    expect(await signedEmpty.json()).toEqual({ error: 'invalid_json', message: expect.any(String) });
  });

  it('a NUL in an applicant id, a replay filter or a cursor', async () => {
    expect(await getJson(`${system.url}/applicants/a%00b`, READ_TOKEN)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    for (const body of [{ applicantId: 'a\u0000b' }, { type: 'x\u0000' }, { cursor: 'a\u0000' }]) {
      const response = await fetch(`${system.url}/admin/replay`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: expect.stringMatching(/^invalid_/) });
    }
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'evt\u0000'])).toString('base64url');
    const response = await fetch(`${system.url}/admin/replay`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ cursor: forged }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_cursor', message: expect.any(String) });
  });

  it('a time filter outside 1970-9999', async () => {
    for (const since of ['0000-01-01T00:00:00Z', '0000-01-01', '1969-12-31T23:59:59Z']) {
      const response = await fetch(`${system.url}/admin/replay`, { method: 'POST', headers: admin, body: JSON.stringify({ since }) });
      expect(response.status, since).toBe(400);
    }
  });

  it("Fastify's own answers: unknown route, over-long parameter, malformed URL", async () => {
    expect(await getJson(`${system.url}/nope`)).toMatchObject({ status: 404, json: { error: 'not_found', message: expect.any(String) } });
    const long = await getJson(`${system.url}/applicants/${'a'.repeat(600)}`, READ_TOKEN);
    expect(long).toMatchObject({ status: 414, json: { error: 'uri_too_long', message: expect.any(String) } });
    const bad = await getJson(`${system.url}/applicants/%E0%A4%A`, READ_TOKEN);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: expect.any(String), message: expect.any(String) });
  });

  it('odd account segments in /webhooks/sumsub/<account> are JSON 4xx, never 500, and store nothing', async () => {
    const before = await system.jobCount();
    const body = JSON.stringify(webhook());
    for (const segment of ['%00', '..%2F..', 'SANDBOX', 'sandbox%20', '%E0%A4%A', 'a'.repeat(600)]) {
      const result = await postWebhook(system.url, body, { account: segment, secret: 'sandbox-secret' });
      expect(result.status, segment).toBeGreaterThanOrEqual(400);
      expect(result.status, segment).toBeLessThan(500);
      expect(result.json, segment).toEqual({ error: expect.any(String), message: expect.any(String) });
    }
    // The sandbox account's secret signs for its own route only.
    expect((await postWebhook(system.url, body, { secret: 'sandbox-secret' })).status).toBe(401);
    expect(await system.jobCount()).toBe(before);
    expect((await postWebhook(system.url, body, { account: 'sandbox', secret: 'sandbox-secret' })).status).toBe(200);
  });

  it('applicant ids up to 256 characters are readable; longer ones are a 400', async () => {
    expect((await getJson(`${system.url}/applicants/${'a'.repeat(256)}`, READ_TOKEN)).status).toBe(404);
    expect((await getJson(`${system.url}/applicants/${'a'.repeat(257)}`, READ_TOKEN)).status).toBe(400);
  });

  it('/readyz says ok or not per dependency, and nothing about why', async () => {
    const ready = await getJson(`${system.url}/readyz`);
    expect(ready).toEqual({
      status: 200,
      headers: expect.anything(),
      json: { status: 'ready', checks: { redis: 'ok', database: 'ok', migrations: 'ok', sumsubApi: 'off' } },
    });
  });
});

describe('WEBHOOK_ALGORITHMS', () => {
  it('refuses an algorithm the operator left out (HMAC_SHA1_HEX here), naming the ones allowed', async () => {
    const refused = await postWebhook(system.url, JSON.stringify(webhook()), { algorithm: 'HMAC_SHA1_HEX' });
    expect(refused).toMatchObject({
      status: 401,
      json: { error: 'invalid_signature', message: 'X-Payload-Digest-Alg must be one of HMAC_SHA256_HEX, HMAC_SHA512_HEX' },
    });
    expect((await postWebhook(system.url, JSON.stringify(webhook()), { algorithm: 'HMAC_SHA512_HEX' })).status).toBe(200);
  });
});

describe('event times', () => {
  it('more than MAX_CLOCK_SKEW_MS (one hour) in the future are refused with a 400 naming the field', async () => {
    const soon = new Date(Date.now() + 30 * 60_000).toISOString().replace('T', ' ').replace('Z', '');
    expect((await postWebhook(system.url, JSON.stringify(webhook({ createdAtMs: soon })))).status).toBe(200);
    const result = await postWebhook(system.url, JSON.stringify(webhook({ createdAtMs: '2030-01-01 00:00:00.000' })));
    expect(result).toMatchObject({
      status: 400,
      json: { error: 'invalid_payload', message: expect.stringMatching(/^createdAtMs: .*in the future/) },
    });
  });
});
