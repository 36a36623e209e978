import { createHmac, timingSafeEqual } from 'node:crypto';

// Sumsub names the algorithm in X-Payload-Digest-Alg and sends the hex HMAC of the
// raw body in X-Payload-Digest. SHA256 is Sumsub's default, assumed when absent.
export const DIGEST_ALGORITHMS = Object.freeze({
  HMAC_SHA1_HEX: 'sha1',
  HMAC_SHA256_HEX: 'sha256',
  HMAC_SHA512_HEX: 'sha512',
} as const);
export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;
export const DEFAULT_DIGEST_ALGORITHM: DigestAlgorithm = 'HMAC_SHA256_HEX';
const ALL_ALGORITHMS = Object.keys(DIGEST_ALGORITHMS) as DigestAlgorithm[];

const HEX_LENGTH = { sha1: 40, sha256: 64, sha512: 128 } as const;
const HEX = /^[0-9a-fA-F]+$/;

export function signBody(body: Buffer | string, secret: string, algorithm: DigestAlgorithm = DEFAULT_DIGEST_ALGORITHM): string {
  return createHmac(DIGEST_ALGORITHMS[algorithm], secret).update(body).digest('hex');
}

export type SignatureCheck =
  | { ok: true; algorithm: DigestAlgorithm }
  | { ok: false; reason: 'missing_digest' | 'unknown_algorithm' | 'malformed_digest' | 'mismatch'; message: string };

export function algorithmOf(header: string | undefined, allowed: readonly DigestAlgorithm[] = ALL_ALGORITHMS): DigestAlgorithm | undefined {
  const name = (header ?? DEFAULT_DIGEST_ALGORITHM).trim().toUpperCase();
  return Object.hasOwn(DIGEST_ALGORITHMS, name) && allowed.includes(name as DigestAlgorithm) ? (name as DigestAlgorithm) : undefined;
}

/**
 * Checks the digest against every configured secret (rotation: any one passes), in
 * constant time. Hex is compared as bytes, so upper-case hex of the right digest passes.
 */
export function verifySignature(
  body: Buffer,
  digest: string | undefined,
  algHeader: string | undefined,
  secrets: readonly string[],
  allowed: readonly DigestAlgorithm[] = ALL_ALGORITHMS,
): SignatureCheck {
  if (!digest) return { ok: false, reason: 'missing_digest', message: 'X-Payload-Digest header is missing' };
  const algorithm = algorithmOf(algHeader, allowed);
  if (!algorithm) {
    return { ok: false, reason: 'unknown_algorithm', message: `X-Payload-Digest-Alg must be one of ${allowed.join(', ')}` };
  }
  const hash = DIGEST_ALGORITHMS[algorithm];
  if (digest.length !== HEX_LENGTH[hash] || !HEX.test(digest)) {
    return {
      ok: false,
      reason: 'malformed_digest',
      message: `X-Payload-Digest must be ${HEX_LENGTH[hash]} hex characters for ${algorithm}`,
    };
  }
  const given = Buffer.from(digest, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac(hash, secret).update(body).digest();
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched ? { ok: true, algorithm } : { ok: false, reason: 'mismatch', message: 'X-Payload-Digest does not match the body' };
}
