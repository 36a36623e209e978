import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DIGEST_ALGORITHMS, type DigestAlgorithm, signBody, verifySignature } from '../src/signature.ts';

const body = Buffer.from('{"applicantId":"a1","type":"applicantCreated"}');
const secret = 'webhook-secret';
const hashes = { HMAC_SHA1_HEX: 'sha1', HMAC_SHA256_HEX: 'sha256', HMAC_SHA512_HEX: 'sha512' } as const;

describe('verifySignature', () => {
  it.each(Object.keys(DIGEST_ALGORITHMS) as DigestAlgorithm[])('accepts a correct %s digest', (alg) => {
    const digest = createHmac(hashes[alg], secret).update(body).digest('hex');
    expect(signBody(body, secret, alg)).toBe(digest);
    expect(verifySignature(body, digest, alg, [secret])).toEqual({ ok: true, algorithm: alg });
  });

  it('assumes HMAC_SHA256_HEX when the algorithm header is absent', () => {
    const digest = signBody(body, secret, 'HMAC_SHA256_HEX');
    expect(verifySignature(body, digest, undefined, [secret])).toEqual({ ok: true, algorithm: 'HMAC_SHA256_HEX' });
    const sha512 = signBody(body, secret, 'HMAC_SHA512_HEX');
    expect(verifySignature(body, sha512, undefined, [secret])).toMatchObject({ ok: false, reason: 'malformed_digest' });
  });

  it('rejects a digest made with another secret', () => {
    expect(verifySignature(body, signBody(body, 'other'), 'HMAC_SHA256_HEX', [secret])).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects a tampered body', () => {
    const digest = signBody(body, secret);
    const tampered = Buffer.from(body.toString().replace('a1', 'a2'));
    expect(verifySignature(tampered, digest, undefined, [secret])).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects digests of the wrong length or not hex, without throwing', () => {
    const digest = signBody(body, secret);
    for (const bad of [digest.slice(2), `${digest}00`, `${digest.slice(0, -1)}g`, `${digest.slice(0, -2)}  `, 'x'.repeat(64), '']) {
      expect(verifySignature(body, bad, undefined, [secret]).ok).toBe(false);
    }
  });

  it('accepts the right digest in upper-case hex (hex is compared as bytes)', () => {
    const digest = signBody(body, secret).toUpperCase();
    expect(verifySignature(body, digest, undefined, [secret]).ok).toBe(true);
  });

  it('reports a missing digest and an unknown algorithm', () => {
    expect(verifySignature(body, undefined, undefined, [secret])).toMatchObject({ ok: false, reason: 'missing_digest' });
    expect(verifySignature(body, signBody(body, secret), 'HMAC_MD5_HEX', [secret])).toMatchObject({
      ok: false,
      reason: 'unknown_algorithm',
    });
  });

  it('accepts any one of several secrets during rotation', () => {
    const secrets = ['old-secret', 'new-secret'];
    expect(verifySignature(body, signBody(body, 'old-secret'), undefined, secrets).ok).toBe(true);
    expect(verifySignature(body, signBody(body, 'new-secret'), undefined, secrets).ok).toBe(true);
    expect(verifySignature(body, signBody(body, 'retired'), undefined, secrets).ok).toBe(false);
    expect(verifySignature(body, signBody(body, 'old-secret'), undefined, []).ok).toBe(false);
  });
});
