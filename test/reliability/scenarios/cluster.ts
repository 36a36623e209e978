import { startProcessSystem, startRedisCluster } from '@kyc/test-support';
import calculateSlot from 'cluster-key-slot';
import { converge, type Row, verify } from '../check.ts';
import { during, type Profile, sendLoad } from '../load.ts';

/**
 * 8. Durable across failover: a Redis Cluster of 3 masters with a replica each,
 * QUEUE_SHARDS=3 and REDIS_REPLICA_ACKS=1. The master of a shard is SIGKILLed
 * under load; its replica is promoted. Every acknowledged event must be applied.
 */
export async function clusterFailover(p: Profile): Promise<Row> {
  const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1500 });
  try {
    const system = await startProcessSystem('cluster', {
      workers: 3,
      redisClusterNodes: cluster.seeds,
      env: { QUEUE_SHARDS: '3', REDIS_REPLICA_ACKS: '1', ENQUEUE_TIMEOUT_MS: '2000', WORKER_LOCK_MS: '3000' },
    });
    try {
      const slot = calculateSlot(system.queues.current[1]?.queue.toKey('meta') ?? '');
      const victim = await cluster.masterOf(slot);
      let promotedAfterMs = 0;
      const results = await during(sendLoad(system, p, { paced: true, seed: 8 }), (p.loadSeconds * 1000) / 3, async () => {
        const killed = Date.now();
        await cluster.kill(victim);
        await cluster.failedOver(slot, victim);
        promotedAfterMs = Date.now() - killed;
      });
      await converge(system, results, 180_000);
      const unavailable = results.filter((r) => r.status === 503).length;
      const row = await verify(system, 'Redis Cluster: a shard master SIGKILLed (REDIS_REPLICA_ACKS=1)', results, [
        `replica promoted after ${(promotedAfterMs / 1000).toFixed(1)} s`,
        `${unavailable} answered 503`,
      ]);
      const promoted = (await cluster.masterOf(slot)) !== victim;
      return { ...row, pass: row.pass && promoted };
    } finally {
      await system.stop();
    }
  } finally {
    await cluster.stop();
  }
}
