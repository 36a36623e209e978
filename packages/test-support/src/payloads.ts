import { isParseFailure, parseWebhook, signBody } from '@kyc/sumsub-webhook';
import type { LedgerEvent } from '@kyc/db';
import { TEST_SECRET } from './env.ts';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/sumsub/${name}`, import.meta.url), 'utf8');

/** A minimal valid webhook payload with fresh ids; override any field. */
export function webhook(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    applicantId: randomBytes(12).toString('hex'),
    inspectionId: randomBytes(12).toString('hex'),
    correlationId: `req-${randomBytes(8).toString('hex')}`,
    externalUserId: `user-${randomBytes(4).toString('hex')}`,
    levelName: 'basic-kyc-level',
    type: 'applicantPending',
    reviewStatus: 'pending',
    createdAtMs: '2024-05-01 10:00:00.000',
    ...overrides,
  };
}

/** A payload as the ledger would store it after intake: raw body signed with the test secret. */
export function ledgerEvent(payload: Record<string, unknown>, overrides: Partial<LedgerEvent> = {}): LedgerEvent {
  const rawBody = JSON.stringify(payload);
  const parsed = parseWebhook(rawBody);
  if (isParseFailure(parsed)) throw new Error(parsed.message);
  return {
    ...parsed,
    rawBody,
    digest: signBody(rawBody, TEST_SECRET),
    digestAlgorithm: 'HMAC_SHA256_HEX',
    receivedAt: Date.now(),
    attempts: 1,
    source: 'webhook',
    account: 'default',
    ...overrides,
  };
}
