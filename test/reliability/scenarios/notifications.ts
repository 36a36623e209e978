import { adminCall, PROCESS_ADMIN_TOKEN, startProcessSystem, startReceiver } from '@kyc/test-support';
import { prismaSql } from '@kyc/db';
import { converge, type Row, verify } from '../check.ts';
import { during, type Profile, sendLoad, sleep } from '../load.ts';

/**
 * 9. Notifications under faults: an endpoint registered, the receiver (verifying
 * every message with the `standardwebhooks` library) down for 10 s, and a worker
 * process SIGKILLed every 3 s. Every notified version of every applicant must
 * reach the receiver, first arrivals in version order, none given up; the last
 * decision it saw must be the record's.
 */
export async function notificationsUnderFaults(p: Profile): Promise<Row> {
  const receiver = await startReceiver();
  const system = await startProcessSystem('notify', {
    workers: 3,
    env: { NOTIFY_ALLOW_PRIVATE: '1', NOTIFY_BACKOFF_MS: '250', NOTIFY_RELAY_INTERVAL_MS: '100', NOTIFY_TIMEOUT_MS: '2000' },
  });
  try {
    const created = await adminCall(system.apiUrl, 'POST', '/admin/endpoints', { url: receiver.url }, PROCESS_ADMIN_TOKEN);
    if (created.status !== 201) throw new Error(`endpoint not registered: ${created.status} ${JSON.stringify(created.json)}`);
    receiver.setSecrets([created.json.secret as string]);

    let kills = 0;
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await sleep(3000);
        if (!killing) break;
        await system.killWorker(kills % system.workers.length);
        kills++;
      }
    })();
    const results = await during(sendLoad(system, p, { paced: true, seed: 9 }), (p.loadSeconds * 1000) / 4, async () => {
      await receiver.offline();
      await sleep(10_000);
      await receiver.online();
    });
    await converge(system, results, 180_000);
    await sleep(6000); // keep killing while the backlog is delivered after the receiver came back
    killing = false;
    await killer;
    const row = await verify(system, 'Notifications: receiver down 10 s, a worker SIGKILLed every 3 s', results);

    const records = await prismaSql(system.db).query<{ applicantId: string; decision: string; version: number }>(
      'SELECT applicant_id, decision, version FROM applicants WHERE version > 0',
    );
    const expected = records.reduce((n, r) => n + r.version, 0);
    const firstArrivals = () => {
      const seen = new Map<string, number[]>();
      const ids = new Set<string>();
      for (const m of receiver.accepted()) {
        if (!m.body || ids.has(m.id)) continue;
        ids.add(m.id);
        const list = seen.get(m.body.data.applicantId) ?? [];
        list.push(m.body.data.version);
        seen.set(m.body.data.applicantId, list);
      }
      return { seen, unique: ids.size };
    };
    const deadline = Date.now() + 180_000;
    while (firstArrivals().unique < expected && Date.now() < deadline) await sleep(500);

    const { seen, unique } = firstArrivals();
    let lost = 0;
    let outOfOrder = 0;
    let wrongLast = 0;
    const last = new Map(receiver.accepted().map((m) => [m.body?.data.applicantId, m.body?.data]));
    for (const record of records) {
      const versions = seen.get(record.applicantId) ?? [];
      lost += record.version - new Set(versions).size;
      if (versions.some((v, i) => i > 0 && v <= (versions[i - 1] ?? 0))) outOfOrder++;
      if (last.get(record.applicantId)?.decision !== record.decision) wrongLast++;
    }
    const givenUp = await prismaSql(system.db).query("SELECT 1 FROM deliveries WHERE status <> 'delivered'");
    const resent = receiver.accepted().length - unique;
    const unverified = receiver.messages.filter((m) => !m.verified).length;
    const notes = [
      `${kills} kills`,
      `${unique}/${expected} notifications delivered`,
      `${lost} lost`,
      `${outOfOrder} applicants out of order`,
      `${wrongLast} wrong last decision`,
      `${givenUp.length} not delivered`,
      `${resent} re-sent after a kill (same webhook-id)`,
      `${unverified} unverified`,
    ];
    const ok = lost === 0 && outOfOrder === 0 && wrongLast === 0 && givenUp.length === 0 && unverified === 0 && unique === expected;
    return { ...row, notes: [row.notes, ...notes].filter(Boolean).join('; '), pass: row.pass && ok };
  } finally {
    await system.stop();
    await receiver.stop();
  }
}
