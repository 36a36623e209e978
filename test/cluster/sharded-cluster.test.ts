import { eachConcurrently, generateDeliveries } from '@kyc/samples';
import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { shardKeyOf, shardOf } from '@kyc/jobs';
import { verifyRedisAtStart } from '@kyc/runtime';
import { Redis } from 'ioredis';
import { getJson, type RedisCluster, startRedisCluster, startSystem, type TestSystem } from '@kyc/test-support';
import calculateSlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real 3-master Redis Cluster (redis-server --cluster-enabled yes) and
// QUEUE_SHARDS=3: the events of many applicants through intake and workers.
let cluster: RedisCluster;
let system: TestSystem;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  system = await startSystem({
    env: { REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_SHARDS: '3', QUEUE_PREFIX: `{kyc-cl-${Date.now()}}` },
    workers: 2,
  });
});
afterAll(async () => {
  await system?.stop();
  await cluster?.stop();
});

const slotOf = (shard: number) => calculateSlot((system.queues.current[shard]?.queue as { toKey: (t: string) => string }).toKey('meta'));

/** Posts until accepted (a 503 while the cluster reconfigures is Sumsub's cue to retry). */
async function deliver(body: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const answer = await system.post(body);
    if (answer.status === 200) return String(answer.json.eventId);
    expect(answer.status, JSON.stringify(answer.json)).toBe(503);
    expect(attempt).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectAllApplied(eventIds: string[]): Promise<void> {
  await system.drained(60_000);
  const unique = [...new Set(eventIds)];
  const applied = await system.db.event.count({ where: { eventId: { in: unique }, status: 'applied' } });
  expect(applied).toBe(unique.length);
}

describe('a 3-master Redis Cluster with QUEUE_SHARDS=3', () => {
  it('puts the three shards on three different masters', async () => {
    const owners = await Promise.all([0, 1, 2].map((shard) => cluster.masterOf(slotOf(shard))));
    expect(new Set(owners).size).toBe(3);
  });

  it("acknowledges and applies every webhook, each on its applicant's shard, exactly once", async () => {
    const deliveries = generateDeliveries({ count: 600, applicants: 60, duplicates: 0.2, shuffle: true, seed: 5 });
    const ids: string[] = [];
    await eachConcurrently(deliveries, 16, async ({ body }) => {
      ids.push(await deliver(body));
    });
    await expectAllApplied(ids);
    // Each event's job sits in the queue of its applicant's shard.
    for (const { body } of deliveries.slice(0, 50)) {
      const parsed = parseWebhook(body);
      if (isParseFailure(parsed)) throw new Error(parsed.message);
      const shard = shardOf(shardKeyOf(parsed), 3);
      expect(await system.queues.current[shard]?.queue.getJob(parsed.eventId)).toBeDefined();
    }
    const applicants = await system.db.applicant.findMany({
      where: { applicantId: { in: deliveries.map((d) => String(JSON.parse(d.body).applicantId)) } },
    });
    expect(applicants.reduce((n, a) => n + a.eventCount, 0)).toBe(new Set(ids).size);
    const ready = await getJson(`${system.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok' } } });
  });

  it("loses nothing while a shard's slot moves to another master under traffic, and readiness stays honest", async () => {
    const slot = slotOf(1);
    const from = await cluster.masterOf(slot);
    const to = (await cluster.masters()).find((port) => port !== from) as number;
    const deliveries = generateDeliveries({ count: 400, applicants: 40, duplicates: 0.1, shuffle: true, seed: 9 });
    const ids: string[] = [];
    const probes: number[] = [];
    let moving = true;
    const probing = (async () => {
      while (moving) {
        probes.push((await getJson(`${system.url}/readyz`)).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const traffic = eachConcurrently(deliveries, 8, async ({ body }) => {
      ids.push(await deliver(body));
    });
    await expect.poll(() => ids.length, { timeout: 30_000 }).toBeGreaterThan(20); // under traffic
    await cluster.moveSlot(slot, to);
    await traffic;
    moving = false;
    await probing;
    expect(await cluster.masterOf(slot)).toBe(to);
    await expectAllApplied(ids);
    // Readiness answered throughout, with 200 or an honest 503, never an error of its own.
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((status) => status === 200 || status === 503)).toBe(true);
    expect((await getJson(`${system.url}/readyz`)).status).toBe(200);
  });

  it('checks Redis safety on every master and names the one that fails', async () => {
    const messages: string[] = [];
    const log = { info: () => undefined, warn: (m: string) => messages.push(m), error: (m: string) => messages.push(m) };
    const target = { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.seeds };
    expect(await verifyRedisAtStart(target, { production: true, ALLOW_UNSAFE_REDIS: '0' }, log)).toBe(true);
    const [, second] = await cluster.masters();
    const node = new Redis(Number(second), '127.0.0.1');
    try {
      await node.config('SET', 'appendonly', 'no');
      expect(await verifyRedisAtStart(target, { production: true, ALLOW_UNSAFE_REDIS: '0' }, log)).toBe(false);
      expect(messages.join('\n')).toMatch(new RegExp(`127\\.0\\.0\\.1:${String(second)}: unsafe Redis: persistence is off`));
    } finally {
      await node.config('SET', 'appendonly', 'yes');
      node.disconnect();
    }
  });
});
