import { createHmac, timingSafeEqual } from 'node:crypto';

// Events read back from Sumsub's API (source "reconcile") have no Sumsub webhook
// signature. They are signed with a key derived from SUMSUB_SECRET_KEY, so the
// worker can verify them when they are replayed, as it verifies webhooks.

export const RECONCILE_DIGEST_ALGORITHM = 'KYC_RECONCILE_HMAC_SHA256';

const reconcileKey = (secretKey: string) => createHmac('sha256', secretKey).update('kyc-webhooks reconcile v1').digest();

export function signReconciled(rawBody: string, secretKey: string): string {
  return createHmac('sha256', reconcileKey(secretKey)).update(rawBody, 'utf8').digest('hex');
}

export function verifyReconciled(rawBody: string, digest: string, secretKey: string): boolean {
  const expected = Buffer.from(signReconciled(rawBody, secretKey), 'hex');
  const given = Buffer.from(digest, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
