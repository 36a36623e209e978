import { eachConcurrently, generateDeliveries } from '@kyc/samples';
import { signBody } from '@kyc/sumsub-webhook';
import { PROCESS_SECRET, type ProcessSystem, type RedisCluster, startProcessSystem, startRedisCluster } from '@kyc/test-support';
import calculateSlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Durable across failover: 3 masters with a replica each, REDIS_REPLICA_ACKS=1,
// the production build in its own processes. The master of a shard is
// SIGKILLed under load; its replica is promoted; every event that was
// acknowledged is applied, because its job had reached a replica first.
let cluster: RedisCluster;
let system: ProcessSystem;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1500 });
  system = await startProcessSystem('failover', {
    workers: 2,
    redisClusterNodes: cluster.seeds,
    env: { QUEUE_SHARDS: '3', REDIS_REPLICA_ACKS: '1', ENQUEUE_TIMEOUT_MS: '2000', WORKER_LOCK_MS: '3000' },
  });
});
afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

type Result = { status: number; eventId?: string };

async function post(body: string): Promise<Result> {
  try {
    const response = await fetch(`${system.url}/webhooks/sumsub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payload-digest': signBody(body, PROCESS_SECRET) },
      body,
    });
    const json = (await response.json()) as { eventId?: string };
    return { status: response.status, ...(json.eventId ? { eventId: json.eventId } : {}) };
  } catch {
    return { status: 0 };
  }
}

describe('a shard master SIGKILLed under load, with REDIS_REPLICA_ACKS=1', () => {
  it('promotes the replica, and applies every acknowledged event exactly once', { timeout: 150_000 }, async () => {
    const victimSlot = calculateSlot((system.queues.current[1]?.queue as { toKey: (t: string) => string }).toKey('meta'));
    const victim = await cluster.masterOf(victimSlot);
    const deliveries = generateDeliveries({ count: 900, applicants: 90, duplicates: 0.1, shuffle: true, seed: 13 });
    const results: Result[] = [];
    let sent = 0;
    const traffic = eachConcurrently(deliveries, 12, async ({ body }) => {
      results.push(await post(body));
      if (++sent === 300) await cluster.kill(victim);
    });
    await traffic;
    await cluster.failedOver(victimSlot, victim);

    const acked = [...new Set(results.filter((r) => r.status === 200).map((r) => String(r.eventId)))];
    expect(acked.length).toBeGreaterThan(400);
    // Everything else was an honest 503: the dead master's shard until its replica took over, and
    // after that too, as the promoted master has no replica left to confirm a write (WAIT 1).
    expect(results.every((r) => r.status === 200 || r.status === 503 || r.status === 0)).toBe(true);
    await expect
      .poll(async () => system.db.event.count({ where: { eventId: { in: acked }, status: 'applied' } }), { timeout: 90_000, interval: 500 })
      .toBe(acked.length);
    const applicants = await system.db.applicant.findMany({ select: { eventCount: true } });
    const appliedEvents = await system.db.event.count({ where: { status: 'applied', applicantId: { not: null } } });
    expect(applicants.reduce((n, a) => n + a.eventCount, 0)).toBe(appliedEvents); // none applied twice
  });
});
