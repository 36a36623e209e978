import { randomBytes } from 'node:crypto';
import {
  ADMIN_TOKEN,
  dumpDatabase,
  dumpRedis,
  poisonApplicant,
  READ_TOKEN,
  startFakeSumsub,
  startReceiver,
  webhook,
  withSystem,
} from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The erasure proof: events whose payloads carry unique markers flow through
// everything that can keep them (records, events, dead letters, document results,
// notifications, waiting jobs); the applicant is erased; then every row of every
// table and every Redis key under the queue prefix is read, and no marker may be found.
const fake = await startFakeSumsub();
const system = withSystem({
  workers: 1,
  ownDatabase: true,
  env: { ...fake.env, NOTIFY_ALLOW_PRIVATE: '1', NOTIFY_RELAY_INTERVAL_MS: '20', JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' },
});
const receiver = await startReceiver();
afterAll(async () => {
  await receiver.stop();
  await fake.stop();
});

const marker = (what: string) => `MARKER-${what}-${randomBytes(6).toString('hex')}`;
const markers: string[] = [];
const marked = (what: string) => {
  const m = marker(what);
  markers.push(m);
  return m;
};
const at = (second: number) => `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`;

/** Every place a marker was found: tables and Redis keys. */
async function traces(): Promise<string[]> {
  const found: string[] = [];
  for (const { table, row } of await dumpDatabase(system.config.DATABASE_URL)) {
    for (const m of markers) if (row.includes(m)) found.push(`table ${table}: ${m}`);
  }
  for (const { key, value } of await dumpRedis(system.redis, system.config.QUEUE_PREFIX)) {
    for (const m of markers) if (value.includes(m)) found.push(`redis ${key}: ${m}`);
  }
  return found;
}

describe('erasing one person', () => {
  const applicantId = webhook().applicantId as string;
  const other = webhook().applicantId as string;

  beforeAll(async () => {
    const created = await system.admin('POST', '/admin/endpoints', { url: receiver.url, includeClientComment: true });
    receiver.setSecrets([created.json.secret as string]);
    fake.setDocuments(applicantId, {
      IDENTITY: {
        reviewResult: { reviewAnswer: 'RED', moderationComment: marked('document-comment'), clientComment: marked('document-client') },
      },
    });
  });

  it('leaves no trace in any table or Redis key, only the tombstone', async () => {
    const person = { firstName: marked('first-name'), lastName: marked('last-name') };
    await system.post(webhook({ applicantId, type: 'applicantCreated', reviewStatus: 'init', info: person, createdAtMs: at(1) }));
    await system.post(
      webhook({
        applicantId,
        type: 'applicantReviewed',
        reviewStatus: 'completed',
        externalUserId: marked('external-user'),
        reviewResult: {
          reviewAnswer: 'RED',
          reviewRejectType: 'RETRY',
          moderationComment: marked('moderation'),
          clientComment: marked('client'),
        },
        createdAtMs: at(2),
      }),
    );
    // Someone else's data, which must stay.
    const keep = marker('other-person');
    await system.post(webhook({ applicantId: other, info: { firstName: keep }, createdAtMs: at(1) }));
    await expect
      .poll(() => receiver.accepted().filter((m) => m.body?.data.applicantId === applicantId).length, { timeout: 10_000 })
      .toBe(1);
    await expect
      .poll(async () => ((await system.get(`/applicants/${applicantId}`, READ_TOKEN)).json.documents as unknown[] | undefined)?.length, {
        timeout: 10_000,
      })
      .toBe(1);

    // Dead letters: the applicant's writes fail for a while.
    const poison = await poisonApplicant(system.config.DATABASE_URL, applicantId);
    await system.post(
      webhook({
        applicantId,
        type: 'applicantPending',
        reviewStatus: 'pending',
        info: { middleName: marked('dead-letter') },
        createdAtMs: at(3),
      }),
    );
    await system.drained();
    await poison.cure();
    expect((await system.queue.getFailed()).length).toBeGreaterThan(0);

    // A job still waiting when the erasure comes.
    await system.stopWorkers();
    await system.post(
      webhook({
        applicantId,
        type: 'applicantPending',
        reviewStatus: 'pending',
        info: { nickname: marked('waiting') },
        createdAtMs: at(4),
      }),
    );

    expect((await traces()).length).toBeGreaterThan(5); // the markers are really there, everywhere

    const erased = await system.admin('DELETE', `/admin/applicants/${applicantId}`);
    expect(erased).toEqual(
      expect.objectContaining({
        status: 200,
        json: { applicantId, erasedAt: expect.any(String), events: expect.any(Number), jobs: expect.any(Number) },
      }),
    );
    expect(erased.json.events).toBeGreaterThanOrEqual(3);
    expect(erased.json.jobs).toBeGreaterThanOrEqual(4);
    expect(await traces()).toEqual([]);

    // The other person is untouched.
    const rest = await dumpDatabase(system.config.DATABASE_URL);
    expect(rest.some(({ row }) => row.includes(keep))).toBe(true);
    system.addWorkers(1);
  });

  it('answers 410 with the erasure time afterwards', async () => {
    const record = await system.get(`/applicants/${applicantId}`, ADMIN_TOKEN);
    expect(record).toEqual(
      expect.objectContaining({ status: 410, json: { error: 'erased', message: expect.any(String), erasedAt: expect.any(String) } }),
    );
    expect((await system.get(`/applicants/${applicantId}/events`, READ_TOKEN)).status).toBe(410);
  });

  it('a later delivery is acknowledged and counted, never stored', async () => {
    const before = await system.registry.getSingleMetricAsString('kyc_erased_deliveries_total');
    const late = await system.post(
      webhook({ applicantId, type: 'applicantPending', reviewStatus: 'pending', info: { alias: marked('late') }, createdAtMs: at(9) }),
    );
    expect(late.status).toBe(200);
    await system.drained();
    await expect.poll(async () => (await traces()).length).toBe(0);
    const tombstone = (await dumpDatabase(system.config.DATABASE_URL))
      .filter(({ table }) => table === 'erasures')
      .map(({ row }) => JSON.parse(row) as Record<string, unknown>);
    expect(tombstone).toEqual([expect.objectContaining({ applicant_id: applicantId, erased_by: 'admin', late_deliveries: 1 })]);
    expect(await system.registry.getSingleMetricAsString('kyc_erased_deliveries_total')).not.toBe(before);
  });

  it('is audited with its actor, and can be repeated', async () => {
    const again = await system.admin('DELETE', `/admin/applicants/${applicantId}`);
    expect(again.status).toBe(200);
    const audit = await system.admin('GET', '/admin/audit?action=erase');
    expect(audit.json.entries).toEqual([
      expect.objectContaining({ actor: 'admin', action: 'erase', target: applicantId, outcome: expect.stringMatching(/^200 erased/) }),
      expect.objectContaining({ actor: 'admin', action: 'erase', target: applicantId }),
    ]);
  });
});
