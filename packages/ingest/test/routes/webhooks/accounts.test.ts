import { describe, expect, it } from 'vitest';
import { postWebhook, TEST_SECRET, webhook, withSystem } from '@kyc/test-support';

// Intake with two named accounts beside the default one: each verifies with its
// own secrets only, and the account travels with the job.
const system = withSystem({
  env: {
    SUMSUB_ACCOUNTS: 'eu,us',
    SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'eu-secret',
    SUMSUB_ACCOUNT_US_WEBHOOK_SECRET: 'us-secret',
    SUMSUB_ACCOUNT_US_WEBHOOK_ALGORITHMS: 'HMAC_SHA512_HEX',
  },
});

const jobs = () => system.jobCount();

describe('POST /webhooks/sumsub/<account>', () => {
  it("accepts an account's event signed with its secret, and the job names the account", async () => {
    const result = await postWebhook(system.url, JSON.stringify(webhook()), { account: 'eu', secret: 'eu-secret' });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ status: 'accepted', eventId: expect.stringMatching(/^evt_[0-9a-f]{32}$/) });
    const job = await system.queue.getJob(String(result.json.eventId));
    expect(job?.data).toMatchObject({ account: 'eu', eventId: result.json.eventId });
  });

  it("refuses a signature of another account (or the default's) with 401, enqueueing nothing", async () => {
    const before = await jobs();
    const body = JSON.stringify(webhook());
    for (const [account, secret] of [
      ['eu', 'us-secret'],
      ['eu', TEST_SECRET],
      ['us', 'eu-secret'],
    ] as const) {
      const algorithm = account === 'us' ? ({ algorithm: 'HMAC_SHA512_HEX' } as const) : {};
      const result = await postWebhook(system.url, body, { account, secret, ...algorithm });
      expect(result.status, `${account} signed with ${secret}`).toBe(401);
      expect(result.json).toEqual({ error: 'invalid_signature', message: expect.stringMatching(/does not match/) });
    }
    // The default account does not take a named account's signature either.
    expect((await postWebhook(system.url, body, { secret: 'eu-secret' })).status).toBe(401);
    expect(await jobs()).toBe(before);
  });

  it("applies each account's own WEBHOOK_ALGORITHMS", async () => {
    const body = JSON.stringify(webhook());
    expect((await postWebhook(system.url, body, { account: 'us', secret: 'us-secret' })).status).toBe(401);
    expect((await postWebhook(system.url, body, { account: 'us', secret: 'us-secret', algorithm: 'HMAC_SHA512_HEX' })).status).toBe(200);
  });

  it('answers 404 for an account that is not configured, whatever the signature', async () => {
    const before = await jobs();
    for (const account of ['apac', 'EU', 'x'.repeat(40)]) {
      const result = await postWebhook(system.url, JSON.stringify(webhook()), { account, secret: 'eu-secret' });
      expect(result.status, account).toBe(404);
      expect(result.json).toEqual({ error: 'not_found', message: expect.any(String) });
    }
    expect(await jobs()).toBe(before);
  });

  it('keeps /webhooks/sumsub as the default account, also reachable as /webhooks/sumsub/default', async () => {
    const payload = webhook();
    const plain = await postWebhook(system.url, JSON.stringify(payload));
    expect(plain.json.status).toBe('accepted');
    expect((await system.queue.getJob(String(plain.json.eventId)))?.data.account).toBe('default');
    const named = await postWebhook(system.url, JSON.stringify(payload), { account: 'default' });
    expect(named.json).toEqual({ status: 'duplicate', eventId: plain.json.eventId });
  });

  it('gives the same content its own event id in each account, so no account can take the id of an event another will deliver', async () => {
    const body = JSON.stringify(webhook());
    const eu = await postWebhook(system.url, body, { account: 'eu', secret: 'eu-secret' });
    const fallback = await postWebhook(system.url, body);
    expect([eu.json.status, fallback.json.status]).toEqual(['accepted', 'accepted']);
    expect(eu.json.eventId).not.toBe(fallback.json.eventId);
  });

  it('labels the intake metrics with the account; an unknown one as (unknown)', async () => {
    const text = await system.registry.metrics();
    expect(text).toMatch(/^kyc_webhooks_received_total\{outcome="accepted",algorithm="HMAC_SHA256_HEX",account="eu"\} \d+$/m);
    expect(text).toMatch(/^kyc_webhooks_received_total\{outcome="rejected_mismatch",algorithm="none",account="eu"\} \d+$/m);
    expect(text).toMatch(/^kyc_webhooks_received_total\{outcome="rejected_unknown_account",algorithm="none",account="\(unknown\)"\} 3$/m);
    expect(text).toMatch(/^kyc_webhook_ingest_duration_seconds_count\{outcome="accepted",account="default"\} \d+$/m);
  });
});
