import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { generateDeliveries, runLoad } from '@kyc/samples';
import { converge, type Row, verify } from '../check.ts';
import { type Profile, sleep } from '../load.ts';
import { PROCESS_ADMIN_TOKEN, PROCESS_SECRET, startProcessSystem, poisonApplicant } from '@kyc/test-support';

/** 6. A poison event dead-letters, the rest flows, and replay applies it once the cause is gone. */
export async function poison(p: Profile): Promise<Row> {
  const system = await startProcessSystem('poison', { workers: 3, env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' } });
  try {
    const deliveries = generateDeliveries({ count: p.deliveries, applicants: p.applicants, duplicates: 0.3, shuffle: true, seed: 6 });
    const first = parseWebhook(deliveries[0]?.body ?? '');
    if (isParseFailure(first)) throw new Error(first.message);
    const victim = String(first.payload.applicantId);
    const fault = await poisonApplicant(system.databaseUrl, victim);
    const { results } = await runLoad({ url: system.url, secret: PROCESS_SECRET, algorithm: 'HMAC_SHA256_HEX' }, deliveries, {
      concurrency: 32,
    });
    // Wait for the dead letters to settle, while every other event is applied.
    const deadline = Date.now() + 120_000;
    let failed = 0;
    for (;;) {
      const counts = await system.queue.getJobCounts('waiting', 'active', 'delayed');
      failed = await system.db.event.count({ where: { status: 'failed' } });
      if (Object.values(counts).every((n) => n === 0) || Date.now() > deadline) break;
      await sleep(250);
    }
    const flowing = await system.db.event.count({ where: { status: 'applied', applicantId: { not: victim } } });
    await fault.cure();
    const replay = await fetch(`${system.apiUrl}/admin/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROCESS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'failed', limit: 10_000 }),
    });
    const replayed = ((await replay.json()) as { replayed?: number }).replayed ?? 0;
    await converge(system, results, 120_000);
    const row = await verify(system, 'poison event, then replay', results, [
      `${failed} dead letters`,
      `${flowing} other events applied meanwhile`,
      `${replayed} replayed`,
    ]);
    return { ...row, pass: row.pass && failed > 0 && replayed === failed };
  } finally {
    await system.stop();
  }
}
