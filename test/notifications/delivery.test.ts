import { readFileSync } from 'node:fs';
import { eachConcurrently, generateDeliveries } from '@kyc/samples';
import { applyEventsStatement, prismaSql, relayNotifications } from '@kyc/db';
import {
  type ReceivedMessage,
  READ_TOKEN,
  ledgerEvent,
  postWebhook,
  startReceiver,
  versionsByApplicant,
  webhook,
  withSystem,
  type Receiver,
} from '@kyc/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One endpoint and a receiver that verifies every message with the
// `standardwebhooks` library; the system on a database of its own (an endpoint
// makes every change in its database notify). Backoff is short: 8 attempts span
// about 6 seconds.
const system = withSystem({
  workers: 1,
  ownDatabase: true,
  env: {
    NOTIFY_ALLOW_PRIVATE: '1',
    NOTIFY_BACKOFF_MS: '50',
    NOTIFY_RELAY_INTERVAL_MS: '20',
    NOTIFY_TIMEOUT_MS: '2000', // a receiver in this busy test process may need more than 500 ms
    NOTIFY_ATTEMPTS: '8',
    WORKER_CONCURRENCY: '4',
  },
});
let receiver: Receiver;
let endpointId: string;
let secret: string;

beforeAll(async () => {
  receiver = await startReceiver();
  const created = await system.admin('POST', '/admin/endpoints', { url: receiver.url, description: 'onboarding' });
  expect(created.status).toBe(201);
  expect(created.json).toEqual(expect.objectContaining({ id: expect.stringMatching(/^ep_/), url: receiver.url }));
  secret = created.json.secret as string;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
  receiver.setSecrets([secret]);
  endpointId = created.json.id as string;
});
afterAll(async () => {
  await receiver?.stop();
});

const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;
const reviewed = (answer: 'GREEN' | 'RED', extra: Record<string, unknown> = {}) => ({
  type: 'applicantReviewed',
  reviewStatus: 'completed',
  reviewResult: { reviewAnswer: answer, ...extra },
});

/** Messages for one applicant the receiver accepted, in arrival order. */
const accepted = (applicantId: string) => receiver.accepted().filter((m) => m.body?.data.applicantId === applicantId);
/** Every request about one applicant, whatever the answer. */
const requests = (applicantId: string): ReceivedMessage[] => receiver.messages.filter((m) => m.body?.data.applicantId === applicantId);

async function deliveries(query: string) {
  const response = await system.admin('GET', `/admin/notifications?${query}`);
  expect(response.status).toBe(200);
  return response.json.notifications as Record<string, unknown>[];
}

describe('decision notifications', () => {
  it('lists the endpoint without its secret', async () => {
    const list = await system.admin('GET', '/admin/endpoints');
    expect(list.status).toBe(200);
    expect(list.json.endpoints).toEqual([
      expect.objectContaining({ id: endpointId, url: receiver.url, description: 'onboarding', enabled: true, includeClientComment: false }),
    ]);
    expect(JSON.stringify(list.json)).not.toContain('whsec_');
  });

  it('sends one verified Standard Webhooks message per decision change, in order, without clientComment', async () => {
    const base = webhook();
    const applicantId = base.applicantId as string;
    await system.post({ ...base, type: 'applicantPending', reviewStatus: 'pending', createdAtMs: at(1) });
    await expect.poll(() => accepted(applicantId).length).toBe(1);
    const clientComment = 'reviewer: document looks edited';
    await system.post({
      ...base,
      ...reviewed('RED', { reviewRejectType: 'RETRY', rejectLabels: ['BAD_PROOF_OF_ADDRESS'], clientComment }),
      createdAtMs: at(2),
    });
    await expect.poll(() => accepted(applicantId).length).toBe(2);
    const [first, second] = accepted(applicantId);
    expect(first?.body).toEqual({
      type: 'applicant.decision.changed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: expect.objectContaining({
        applicantId,
        decision: 'pending',
        previousDecision: 'not_started',
        version: 1,
        review: null,
        rejection: null,
      }),
    });
    expect(second?.body?.data).toEqual({
      applicantId,
      account: 'default',
      externalUserId: base.externalUserId,
      levelName: base.levelName,
      decision: 'rejected_retry',
      previousDecision: 'pending',
      reviewStatus: 'completed',
      version: 2,
      changedAt: expect.any(String),
      review: {
        reviewAnswer: 'RED',
        reviewRejectType: 'RETRY',
        rejectLabels: ['BAD_PROOF_OF_ADDRESS'],
        buttonIds: [],
        moderationComment: null,
      },
      rejection: {
        rejectType: 'RETRY',
        labels: [
          {
            label: 'BAD_PROOF_OF_ADDRESS',
            category: 'document_quality',
            resubmittable: true,
            description: expect.any(String),
            known: true,
          },
        ],
        buttons: [],
      },
    });
    expect(JSON.stringify(receiver.messages)).not.toContain(clientComment);
    expect(first?.id).toMatch(/^msg_/);
    expect(first?.id).not.toBe(second?.id);
    expect(Math.abs((second?.timestamp ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    const record = await system.get(`/applicants/${applicantId}`, READ_TOKEN);
    expect(record.json).toEqual(expect.objectContaining({ decision: 'rejected_retry', version: 2 }));
  });

  it("explains the source document's RED example in the notification, as on the record", async () => {
    const example = JSON.parse(
      readFileSync(new URL('../fixtures/sumsub/receive-results/applicant-reviewed-red.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const applicantId = webhook().applicantId as string;
    await system.post({ ...example, applicantId, createdAtMs: at(3) });
    await expect.poll(() => accepted(applicantId).length).toBe(1);
    const rejection = accepted(applicantId)[0]?.body?.data.rejection;
    expect(rejection).toEqual({
      rejectType: 'RETRY',
      labels: [
        { label: 'BAD_PROOF_OF_IDENTITY', category: 'document_quality', resubmittable: true, description: expect.any(String), known: true },
      ],
      buttons: [
        { id: 'badDocument_suspiciousDocument', group: 'badDocument', description: expect.any(String), known: true },
        { id: 'badDocument', group: 'badDocument', description: expect.any(String), known: true },
      ],
    });
    expect((await system.get(`/applicants/${applicantId}`, READ_TOKEN)).json.rejection).toEqual(rejection);
  });

  it('notifies a changed review under the same decision, and nothing for an event that changes neither', async () => {
    const base = webhook();
    const applicantId = base.applicantId as string;
    await system.post({ ...base, ...reviewed('RED', { reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] }), createdAtMs: at(1) });
    await expect.poll(() => accepted(applicantId).length).toBe(1);
    await system.post({
      ...base,
      ...reviewed('RED', { reviewRejectType: 'FINAL', rejectLabels: ['FORGERY', 'SPAM'] }),
      createdAtMs: at(2),
    });
    await expect.poll(() => accepted(applicantId).length).toBe(2);
    await system.post({ ...base, type: 'applicantPersonalInfoChanged', reviewStatus: 'completed', createdAtMs: at(3) });
    await system.drained();
    // Applied, and the outbox has no third row: there is nothing more to send.
    expect(await prismaSql(system.db).query('SELECT 1 FROM notifications WHERE applicant_id = $1', [applicantId])).toHaveLength(2);
    const versions = accepted(applicantId).map((m) => [m.body?.data.decision, m.body?.data.previousDecision, m.body?.data.version]);
    expect(versions).toEqual([
      ['rejected_final', 'not_started', 1],
      ['rejected_final', 'rejected_final', 2],
    ]);
  });

  it('shuffled, duplicated traffic for many applicants: versions arrive in order, the last one is the record', async () => {
    // Seeded: which applicants end with a decision depends on the traffic, and the check below needs many (31 of 40 with this seed).
    const traffic = generateDeliveries({ count: 400, applicants: 40, duplicates: 0.2, shuffle: true, seed: 17 });
    await eachConcurrently(traffic, 16, async ({ body }) => {
      expect((await postWebhook(system.url, body)).status).toBe(200);
    });
    await system.drained();
    const ids = [...new Set(traffic.map((d) => (JSON.parse(d.body) as { applicantId: string }).applicantId))];
    const records = (
      await prismaSql(system.db).query<{ applicantId: string; decision: string; version: number }>(
        'SELECT applicant_id, decision, version FROM applicants WHERE applicant_id = ANY($1::text[])',
        [ids],
      )
    ).filter((r) => r.version > 0);
    expect(records.length).toBeGreaterThan(20);
    // A message whose answer came after NOTIFY_TIMEOUT_MS on a busy machine is sent again, same id: counted once.
    const once = (messages: ReceivedMessage[]) => messages.filter((m, i) => messages.findIndex((o) => o.id === m.id) === i);
    await expect.poll(() => records.every((r) => once(accepted(r.applicantId)).length === r.version), { timeout: 30_000 }).toBe(true);
    const byApplicant = versionsByApplicant(once(receiver.accepted()));
    for (const record of records) {
      expect(byApplicant.get(record.applicantId), record.applicantId).toEqual(Array.from({ length: record.version }, (_, i) => i + 1));
      expect(accepted(record.applicantId).at(-1)?.body?.data.decision).toBe(record.decision);
    }
  });

  it('an endpoint down for a while, then back: every message delivered, in order per applicant', async () => {
    await receiver.offline();
    const bases = Array.from({ length: 5 }, () => webhook());
    for (const [i, kind] of ['pending', 'RED', 'GREEN'].entries()) {
      for (const base of bases) {
        const event = kind === 'pending' ? { type: 'applicantPending', reviewStatus: 'pending' } : reviewed(kind as 'RED' | 'GREEN');
        await system.post({ ...base, ...event, createdAtMs: at(i + 1) });
      }
      await system.drained();
    }
    // Back only once the first message has failed against it (its retry comes later).
    const first = `applicantId=${bases[0]?.applicantId as string}`;
    await expect.poll(async () => (await deliveries(first))[0]?.attempts, { timeout: 10_000 }).toBeGreaterThan(0);
    await receiver.online();
    for (const base of bases) {
      const applicantId = base.applicantId as string;
      await expect.poll(() => accepted(applicantId).map((m) => m.body?.data.version), { timeout: 20_000 }).toEqual([1, 2, 3]);
      expect(accepted(applicantId).map((m) => m.body?.data.decision)).toEqual(['pending', 'rejected_final', 'approved']);
    }
    const retried = await deliveries(`endpointId=${endpointId}&applicantId=${bases[0]?.applicantId as string}`);
    expect(retried[0]).toEqual(expect.objectContaining({ status: 'delivered', version: 1, attempts: expect.any(Number) }));
    expect(retried[0]?.attempts).toBeGreaterThan(1);
  });

  it('a slow receiver times out (NOTIFY_TIMEOUT_MS) and is retried with the same webhook-id', async () => {
    const base = webhook();
    const applicantId = base.applicantId as string;
    let hung = 0;
    receiver.respond((m) => (m.body?.data.applicantId === applicantId && hung++ === 0 ? 'hang' : 204));
    await system.post({ ...base, createdAtMs: at(1) });
    await expect.poll(() => accepted(applicantId).length, { timeout: 10_000 }).toBe(1);
    receiver.respond(204);
    await expect
      .poll(() => deliveries(`applicantId=${applicantId}`))
      .toEqual([expect.objectContaining({ status: 'delivered', attempts: 2, lastError: null, messageId: accepted(applicantId)[0]?.id })]);
  });

  it('gives up after NOTIFY_ATTEMPTS (a dead letter, listed), sends the next version only then, and replays it', async () => {
    const base = webhook();
    const applicantId = base.applicantId as string;
    receiver.respond((m) => (m.body?.data.applicantId === applicantId && m.body.data.version === 1 ? 500 : 204));
    await system.post({ ...base, createdAtMs: at(1) });
    // Version 1 exists (its first attempt was made) before the next event arrives: applied the
    // other way round, the merge would rightly skip the older event and there would be no version 2.
    await expect.poll(() => requests(applicantId).length).toBeGreaterThan(0);
    await system.post({ ...base, ...reviewed('GREEN'), createdAtMs: at(2) });
    await expect.poll(() => accepted(applicantId).map((m) => m.body?.data.version), { timeout: 20_000 }).toEqual([2]);
    // Version 2 went out only after version 1's last attempt.
    const all = requests(applicantId).map((m) => m.body?.data.version);
    expect(all).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
    const failed = await deliveries(`status=failed&endpointId=${endpointId}`);
    const dead = failed.find((d) => d.applicantId === applicantId);
    expect(dead).toEqual(
      expect.objectContaining({ version: 1, attempts: 8, lastStatus: 500, lastError: 'HTTP 500', finishedAt: expect.any(String) }),
    );
    const metrics = await system.registry.getSingleMetricAsString('kyc_notifications_total');
    expect(metrics).toMatch(new RegExp(`^kyc_notifications_total\\{endpoint="${endpointId}",outcome="given_up"\\} 1$`, 'm'));

    receiver.respond(204);
    const replay = await system.admin('POST', '/admin/notifications/replay', { applicantId });
    expect(replay).toEqual(expect.objectContaining({ status: 200, json: { replayed: 1 } }));
    await expect.poll(() => accepted(applicantId).map((m) => m.body?.data.version)).toEqual([2, 1]);
    expect(accepted(applicantId)[1]?.id).toBe(requests(applicantId)[0]?.id);
    expect((await deliveries(`status=failed&applicantId=${applicantId}`)).length).toBe(0);
  });

  it('a change that rolls back notifies nobody; the outbox row lives and dies with it', async () => {
    const base = webhook({ ...reviewed('GREEN'), createdAtMs: at(1) });
    const applicantId = base.applicantId as string;
    // A change committed now is relayed and sent: proof that relays ran since.
    const relaysRan = async () => {
      const marker = webhook({ ...reviewed('GREEN'), createdAtMs: at(1) });
      await system.post(marker);
      await expect.poll(() => accepted(marker.applicantId as string).length, { timeout: 10_000 }).toBe(1);
    };
    const client = new pg.Client({ connectionString: system.config.DATABASE_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      const { text, values } = applyEventsStatement([ledgerEvent(base)]);
      await client.query(text, values);
      const inside = await client.query('SELECT count(*)::int AS n FROM notifications WHERE applicant_id = $1', [applicantId]);
      expect(inside.rows[0]).toEqual({ n: 1 });
      await relaysRan(); // relays run meanwhile: they cannot see it
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    await relaysRan();
    expect(requests(applicantId)).toEqual([]);
    const rows = await prismaSql(system.db).query('SELECT 1 FROM notifications WHERE applicant_id = $1', [applicantId]);
    expect(rows).toEqual([]);
  });

  it('a process killed between the relay commit and queuing: the sweep queues it (nothing lost)', async () => {
    await system.stopWorkers();
    const base = webhook({ ...reviewed('GREEN'), createdAtMs: at(1) });
    const applicantId = base.applicantId as string;
    await prismaSql(system.db).query(applyEventsStatement([ledgerEvent(base)]).text, applyEventsStatement([ledgerEvent(base)]).values);
    // The relay commits, and its process dies before queuing the heads it returned.
    const heads = await relayNotifications(prismaSql(system.db), 500);
    expect(heads.length).toBeGreaterThan(0);
    const [row] = await deliveries(`applicantId=${applicantId}`);
    expect(row).toEqual(expect.objectContaining({ status: 'pending', attempts: 0 }));
    expect(await system.redis.keys(`${system.config.QUEUE_PREFIX}:notifications:dlv-${row?.id as string}-*`)).toEqual([]);
    system.addWorkers(1);
    await expect.poll(() => accepted(applicantId).length, { timeout: 10_000 }).toBe(1);
  });

  it('rotating the secret: for 24 hours messages carry both signatures, so either secret verifies', async () => {
    const rotated = await system.admin('POST', `/admin/endpoints/${endpointId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const next = rotated.json.secret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    expect(Date.parse(rotated.json.previousSecretExpiresAt as string) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    for (const secrets of [[next], [secret]]) {
      receiver.setSecrets(secrets);
      const base = webhook();
      await system.post(base);
      await expect.poll(() => accepted(base.applicantId as string).length).toBe(1);
    }
    receiver.setSecrets([next]);
    secret = next;
    const list = await system.admin('GET', '/admin/endpoints');
    expect(list.json.endpoints).toEqual([expect.objectContaining({ id: endpointId, previousSecretExpiresAt: expect.any(String) })]);
  });

  it('counts deliveries, latency and lag per endpoint', async () => {
    const text = await system.registry.metrics();
    expect(text).toMatch(new RegExp(`kyc_notifications_total\\{endpoint="${endpointId}",outcome="delivered"\\} \\d+`));
    expect(text).toMatch(new RegExp(`kyc_notifications_total\\{endpoint="${endpointId}",outcome="failed"\\} \\d+`));
    expect(text).toMatch(new RegExp(`kyc_notification_latency_seconds_count\\{endpoint="${endpointId}"\\} \\d+`));
    expect(text).toMatch(new RegExp(`kyc_notification_lag_seconds_count\\{endpoint="${endpointId}"\\} \\d+`));
  });

  it('410 Gone disables the endpoint and cancels what was pending; other endpoints go on', async () => {
    const gone = await startReceiver();
    try {
      const created = await system.admin('POST', '/admin/endpoints', { url: gone.url });
      gone.setSecrets([created.json.secret as string]);
      gone.respond(410);
      const base = webhook();
      await system.post(base);
      await expect.poll(() => gone.messages.length).toBe(1);
      await expect
        .poll(async () =>
          ((await system.admin('GET', '/admin/endpoints')).json.endpoints as { id: string; enabled: boolean }[]).find(
            (e) => e.id === created.json.id,
          ),
        )
        .toEqual(expect.objectContaining({ enabled: false, disabledReason: expect.stringContaining('410') }));
      const later = webhook();
      await system.post(later);
      await expect.poll(() => accepted(later.applicantId as string).length).toBe(1);
      expect(gone.messages.length).toBe(1);
      expect(accepted(base.applicantId as string).length).toBe(1);
    } finally {
      await gone.stop();
    }
  });

  it('a removed endpoint is not listed, and its id answers 404 afterwards', async () => {
    const extra = await system.admin('POST', '/admin/endpoints', { url: `${receiver.url}/extra` });
    const id = extra.json.id as string;
    expect((await system.admin('DELETE', `/admin/endpoints/${id}`)).status).toBe(204);
    expect((await system.admin('DELETE', `/admin/endpoints/${id}`)).status).toBe(404);
    expect((await system.admin('POST', `/admin/endpoints/${id}/rotate-secret`)).status).toBe(404);
    const list = await system.admin('GET', '/admin/endpoints');
    expect((list.json.endpoints as { id: string }[]).map((e) => e.id)).not.toContain(id);
  });
});
