import {
  ADMIN_TOKEN,
  fixture,
  fixtureJson,
  postWebhook,
  READ_TOKEN,
  startFakeSumsub,
  startReceiver,
  TEST_SECRET,
  webhook,
  withSystem,
  type FakeSumsub,
  type Receiver,
} from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, completedReview } from '../sumsub-api/events.ts';

// Two named Sumsub accounts and the default one on one receiver, end to end:
// intake, worker, read API, notifications, document fetches and reconciliation,
// each account with its own webhook secret and its own fake Sumsub API (its own
// credentials). The hostile part: a valid signature of `us` aims at an applicant
// of `eu` and must change nothing of it.
const fakes: Record<'default' | 'eu' | 'us', FakeSumsub> = {
  default: await startFakeSumsub(),
  eu: await startFakeSumsub(),
  us: await startFakeSumsub(),
};
afterAll(async () => Promise.all(Object.values(fakes).map((f) => f.stop())));

const SECRETS = { default: TEST_SECRET, eu: 'eu-webhook-secret', us: 'us-webhook-secret' } as const;
type Account = keyof typeof SECRETS;

const system = withSystem({
  workers: 1,
  ownDatabase: true,
  env: {
    ...fakes.default.env,
    SUMSUB_ACCOUNTS: 'eu,us',
    SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: SECRETS.eu,
    SUMSUB_ACCOUNT_EU_APP_TOKEN: fakes.eu.appToken,
    SUMSUB_ACCOUNT_EU_SECRET_KEY: fakes.eu.secretKey,
    SUMSUB_ACCOUNT_EU_API_URL: fakes.eu.url,
    SUMSUB_ACCOUNT_US_WEBHOOK_SECRET: SECRETS.us,
    SUMSUB_ACCOUNT_US_APP_TOKEN: fakes.us.appToken,
    SUMSUB_ACCOUNT_US_SECRET_KEY: fakes.us.secretKey,
    SUMSUB_ACCOUNT_US_API_URL: fakes.us.url,
    ERASE_ON_SUMSUB_DELETION: '1',
    NOTIFY_ALLOW_PRIVATE: '1',
    NOTIFY_RELAY_INTERVAL_MS: '20',
    NOTIFY_BACKOFF_MS: '50',
  },
});

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  const created = await system.admin('POST', '/admin/endpoints', { url: receiver.url });
  receiver.setSecrets([created.json.secret as string]);
});
afterAll(async () => receiver?.stop());

/**
 * Sends a payload through an account's webhook, signed with that account's secret;
 * a 503 (Redis slower than ENQUEUE_TIMEOUT_MS on a loaded machine) is sent again, as Sumsub would.
 */
async function send(account: Account, payload: Record<string, unknown>) {
  const post = () =>
    postWebhook(system.url, JSON.stringify(payload), { secret: SECRETS[account], ...(account === 'default' ? {} : { account }) });
  let result = await post();
  for (let retry = 0; result.status === 503 && retry < 5; retry++) result = await post();
  expect(result.status, `${account}: ${JSON.stringify(result.json)}`).toBe(200);
  return String(result.json.eventId);
}

type Detail = { account: string; decision: string; version: number; reviewStatus: string; documents: unknown[] };
const detail = async (id: string) => (await system.get(`/applicants/${id}`, ADMIN_TOKEN)).json as unknown as Detail;
const notifiedFor = (id: string) => receiver.accepted().filter((m) => m.body?.data.applicantId === id);

const ids = { eu: webhook().applicantId as string, us: webhook().applicantId as string, default: webhook().applicantId as string };

describe('several Sumsub accounts on one receiver', () => {
  it("records each account's applicants under it: record, events, change feed and notifications", async () => {
    for (const account of ['eu', 'us', 'default'] as const) {
      await send(account, webhook({ applicantId: ids[account], type: 'applicantPending', reviewStatus: 'pending', createdAtMs: at(1) }));
    }
    await system.drained();
    for (const account of ['eu', 'us', 'default'] as const) {
      expect(await detail(ids[account])).toMatchObject({ account, decision: 'pending' });
      const events = (await system.get(`/applicants/${ids[account]}/events`, READ_TOKEN)).json.events as { account: string }[];
      expect(events.map((e) => e.account)).toEqual([account]);
    }
    const feed = (await system.get('/applicants?account=eu', READ_TOKEN)).json.applicants as { applicantId: string; account: string }[];
    expect(feed.map((a) => a.applicantId)).toEqual([ids.eu]);
    await expect.poll(() => notifiedFor(ids.eu).length, { timeout: 15_000 }).toBe(1);
    expect(notifiedFor(ids.eu)[0]?.body?.data).toMatchObject({ applicantId: ids.eu, account: 'eu', decision: 'pending' });
  });

  it("a valid signature of one account changes nothing of another account's applicant", async () => {
    const before = await detail(ids.eu);
    const notifiedBefore = notifiedFor(ids.eu).length;
    fakes.us.setDocuments(ids.eu, fixtureJson('requiredIdDocsStatus-red.json'));
    fakes.eu.setDocuments(ids.eu, fixtureJson('requiredIdDocsStatus-red.json'));
    // Newer than anything eu sent: a final rejection (which would fetch documents), then a deletion (which would erase).
    const red = await send('us', webhook({ applicantId: ids.eu, ...completedReview(30, 'RED', { reviewRejectType: 'FINAL' }) }));
    const deleted = await send('us', webhook({ applicantId: ids.eu, type: 'applicantDeleted', reviewStatus: 'init', createdAtMs: at(40) }));
    await system.drained();
    // Kept and visible in event search, never applied.
    const search = await system.get(`/admin/events?account=us&status=wrong_account&applicantId=${ids.eu}`, ADMIN_TOKEN);
    expect(
      (search.json.events as { eventId: string; status: string; account: string }[]).map((e) => [e.eventId, e.status, e.account]).sort(),
    ).toEqual(
      [
        [red, 'wrong_account', 'us'],
        [deleted, 'wrong_account', 'us'],
      ].sort(),
    );
    // Not erased, not moved, no documents fetched with either account's credentials, nobody notified.
    expect(await detail(ids.eu)).toEqual(before);
    expect(fakes.us.calls(ids.eu, 'requiredIdDocsStatus')).toHaveLength(0);
    expect(fakes.eu.calls(ids.eu, 'requiredIdDocsStatus')).toHaveLength(0);
    expect(await system.db.erasure.findUnique({ where: { applicantId: ids.eu } })).toBeNull();
    expect(await system.registry.metrics()).toMatch(/^kyc_events_wrong_account_total\{account="us"\} 2$/m);
    // A replay of the foreign event is verified and refused again.
    expect((await system.admin('POST', `/admin/events/${red}/replay`)).json).toEqual({ eventId: red, status: 'replayed' });
    await system.drained();
    expect(await detail(ids.eu)).toEqual(before);
    // The outbox is relayed in order: once a later change of us's own applicant is notified, one for eu's would have been.
    await send('us', webhook({ applicantId: ids.us, type: 'applicantOnHold', reviewStatus: 'onHold', createdAtMs: at(45) }));
    await expect.poll(() => notifiedFor(ids.us).at(-1)?.body?.data.decision, { timeout: 15_000 }).toBe('on_hold');
    expect(notifiedFor(ids.us).at(-1)?.body?.data.account).toBe('us');
    expect(notifiedFor(ids.eu)).toHaveLength(notifiedBefore);
  });

  it("the owner's own events still apply, and its document fetch uses its own credentials", async () => {
    await send('eu', webhook({ applicantId: ids.eu, ...completedReview(50, 'RED', { reviewRejectType: 'RETRY' }) }));
    await expect.poll(async () => (await detail(ids.eu)).documents.length, { timeout: 15_000 }).toBe(5);
    expect(await detail(ids.eu)).toMatchObject({ account: 'eu', decision: 'rejected_retry' });
    expect(fakes.eu.calls(ids.eu, 'requiredIdDocsStatus')).toHaveLength(1);
    expect(fakes.us.calls(ids.eu, 'requiredIdDocsStatus')).toHaveLength(0);
    expect(fakes.default.calls(ids.eu, 'requiredIdDocsStatus')).toHaveLength(0);
    await expect.poll(() => notifiedFor(ids.eu).at(-1)?.body?.data.decision, { timeout: 15_000 }).toBe('rejected_retry');
  });

  it("reconciles every applicant with its own account's Sumsub API credentials", async () => {
    for (const account of ['eu', 'us', 'default'] as const) {
      fakes[account].setStatus(ids[account], {
        ...fixtureJson('status-init.json'),
        reviewId: `rev-${account}`,
        attemptId: 'att-1',
        createDate: '2024-05-01 10:01:00+0000',
        reviewDate: '2024-05-01 10:01:00+0000',
        reviewStatus: 'completed',
        reviewResult: { reviewAnswer: 'GREEN' },
      });
    }
    const answer = await system.admin('POST', '/admin/reconcile', { applicantIds: [ids.eu, ids.us, ids.default] });
    expect(answer.json).toEqual(expect.objectContaining({ checked: 3, updated: 3, failed: 0 }));
    for (const account of ['eu', 'us', 'default'] as const) {
      expect(await detail(ids[account])).toMatchObject({ account, decision: 'approved' });
      // Each applicant's review was read from its account's Sumsub only.
      for (const other of ['eu', 'us', 'default'] as const) {
        expect(fakes[other].calls(ids[account], 'status'), `${account} via ${other}`).toHaveLength(other === account ? 1 : 0);
      }
      const events = (await system.get(`/applicants/${ids[account]}/events`, READ_TOKEN)).json.events as {
        source: string;
        account: string;
      }[];
      expect(events.filter((e) => e.source === 'reconcile').map((e) => e.account)).toEqual([account]);
    }
  });

  it("acknowledges Sumsub's published test request from two accounts: the first one's applies, the second's is kept", async () => {
    // What the webhook manager's "Test webhook" resembles (its page documents no marker on test deliveries).
    const raw = fixture('webhook-manager/example-request-to-the-client-endpoint.json');
    const applicantId = (JSON.parse(raw) as { applicantId: string }).applicantId;
    for (const account of ['us', 'eu'] as const) {
      await send(account, JSON.parse(raw) as Record<string, unknown>);
      await system.drained();
    }
    expect(await detail(applicantId)).toMatchObject({ account: 'us', decision: 'approved' });
    const events = (await system.get(`/applicants/${applicantId}/events`, READ_TOKEN)).json.events as { account: string; status: string }[];
    expect(events.map((e) => [e.account, e.status]).sort()).toEqual([
      ['eu', 'wrong_account'],
      ['us', 'applied'],
    ]);
  });
});
