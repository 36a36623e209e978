import { type DigestAlgorithm, signBody } from '@kyc/sumsub-webhook';
import { describe, expect, it } from 'vitest';
import { postWebhook, withSystem, fixture, webhook } from '@kyc/test-support';

const system = withSystem({ env: { MAX_BODY_BYTES: '4096', SUMSUB_WEBHOOK_SECRET: 'test-webhook-secret,next-secret' } });

/** Asserts a rejection with `{error, message}` and that nothing reached the queue. */
async function expectRejected(result: Awaited<ReturnType<typeof postWebhook>>, status: number, message?: RegExp) {
  expect(result.status).toBe(status);
  expect(result.json).toEqual({ error: expect.any(String), message: message ? expect.stringMatching(message) : expect.any(String) });
  expect(await system.jobCount()).toBe(0);
}

describe('POST /webhooks/sumsub: rejections enqueue nothing', () => {
  const body = JSON.stringify(webhook());

  it('401 without a digest, with a wrong secret, a tampered body or an unknown algorithm', async () => {
    await expectRejected(await postWebhook(system.url, body, { digest: null }), 401, /X-Payload-Digest header is missing/);
    await expectRejected(await postWebhook(system.url, body, { secret: 'wrong' }), 401, /does not match/);
    const digest = signBody(body, 'test-webhook-secret');
    await expectRejected(await postWebhook(system.url, body.replace('pending', 'complet'), { digest }), 401, /does not match/);
    await expectRejected(
      await postWebhook(system.url, body, { algorithm: 'HMAC_MD5_HEX' as DigestAlgorithm, digest }),
      401,
      /X-Payload-Digest-Alg/,
    );
  });

  it('401 for digests of the wrong length or not hex', async () => {
    const digest = signBody(body, 'test-webhook-secret');
    await expectRejected(await postWebhook(system.url, body, { digest: digest.slice(1) }), 401, /64 hex characters/);
    await expectRejected(await postWebhook(system.url, body, { digest: `${digest.slice(0, -1)}z` }), 401, /64 hex characters/);
    await expectRejected(await postWebhook(system.url, body, { algorithm: 'HMAC_SHA512_HEX', digest }), 401, /128 hex characters/);
  });

  it('400 for invalid JSON, a non-object, a schema violation and an unparseable time', async () => {
    await expectRejected(await postWebhook(system.url, '{"applicantId":'), 400, /not valid JSON/);
    await expectRejected(await postWebhook(system.url, '[]'), 400, /JSON object/);
    await expectRejected(await postWebhook(system.url, Buffer.from([0x7b, 0xff, 0x7d])), 400, /UTF-8/);
    await expectRejected(await postWebhook(system.url, JSON.stringify(webhook({ applicantId: 12 }))), 400, /^applicantId: /);
    await expectRejected(await postWebhook(system.url, JSON.stringify(webhook({ type: undefined }))), 400, /^type: /);
    await expectRejected(
      await postWebhook(system.url, JSON.stringify(webhook({ createdAtMs: '2024-02-30 10:00:00.000' }))),
      400,
      /^createdAtMs: unparseable/,
    );
  });

  it('413 over MAX_BODY_BYTES and 415 for a non-JSON content type', async () => {
    const big = JSON.stringify(webhook({ padding: 'x'.repeat(5000) }));
    await expectRejected(await postWebhook(system.url, big), 413);
    await expectRejected(await postWebhook(system.url, body, { contentType: 'text/plain' }), 415);
    await expectRejected(await postWebhook(system.url, body, { contentType: 'application/x-www-form-urlencoded' }), 415);
  });
});

describe('POST /webhooks/sumsub: accepted events are in Redis', () => {
  it.each(['HMAC_SHA1_HEX', 'HMAC_SHA256_HEX', 'HMAC_SHA512_HEX'] as const)(
    'accepts %s and answers only with the job stored',
    async (algorithm) => {
      const result = await postWebhook(system.url, JSON.stringify(webhook()), { algorithm });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ status: 'accepted', eventId: expect.stringMatching(/^evt_/) });
      const job = await system.queue.getJob(String(result.json.eventId));
      expect(job?.data).toMatchObject({ eventId: result.json.eventId, digestAlgorithm: algorithm });
    },
  );

  it('accepts the secret being rotated in', async () => {
    const result = await postWebhook(system.url, JSON.stringify(webhook()), { secret: 'next-secret' });
    expect(result.status).toBe(200);
  });

  it('accepts both documented example payloads byte for byte, keeping the raw body', async () => {
    for (const name of ['receive-results/applicant-reviewed-green.json', 'receive-results/applicant-reviewed-red.json']) {
      const raw = fixture(name);
      const result = await postWebhook(system.url, raw);
      expect(result.status, name).toBe(200);
      const job = await system.queue.getJob(String(result.json.eventId));
      expect(job?.data.rawBody).toBe(raw);
    }
  });

  it('answers duplicate for a stored event, also when re-serialised with other bytes', async () => {
    const payload = webhook();
    const first = await postWebhook(system.url, JSON.stringify(payload));
    const again = await postWebhook(system.url, JSON.stringify(payload));
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    const reserialised = await postWebhook(system.url, JSON.stringify(reordered, null, 4));
    expect(first.json.status).toBe('accepted');
    expect(again.json).toEqual({ status: 'duplicate', eventId: first.json.eventId });
    expect(reserialised.json).toEqual({ status: 'duplicate', eventId: first.json.eventId });
  });

  it('keeps both events that share a correlationId', async () => {
    const pending = webhook();
    const reviewed = {
      ...pending,
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      createdAtMs: '2024-05-01 10:05:00.000',
      reviewResult: { reviewAnswer: 'GREEN' },
    };
    const a = await postWebhook(system.url, JSON.stringify(pending));
    const b = await postWebhook(system.url, JSON.stringify(reviewed));
    expect([a.json.status, b.json.status]).toEqual(['accepted', 'accepted']);
    expect(a.json.eventId).not.toBe(b.json.eventId);
  });
});
