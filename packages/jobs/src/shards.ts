import calculateSlot from 'cluster-key-slot';
import { REDIS_HASHTAG } from '@kyc/runtime';

// Events are spread over QUEUE_SHARDS queues by a stable hash of applicantId.
// The merge is order-independent, so nothing depends on which shard (or in which
// order) an applicant's events are applied. On a Redis Cluster every shard needs
// its own hashtag, so that shards land on different masters: shard i of N gets a
// hashtag whose slot lies in the i-th of N equal slot ranges (where a cluster
// created with `redis-cli --cluster create` puts its masters' ranges).

const SLOTS = 16_384;

/** The key prefix of each shard's queues, shard 0 first. One shard: QUEUE_PREFIX itself. */
export function shardPrefixes(prefix: string, shards: number): string[] {
  if (shards <= 1) return [prefix];
  const match = REDIS_HASHTAG.exec(prefix);
  return Array.from({ length: shards }, (_, i) => {
    if (!match) return `${prefix}-s${i}of${shards}`;
    for (let k = 0; ; k++) {
      const tag = `${match[1]}-s${i}of${shards}-${k}`;
      if (Math.floor((calculateSlot(tag) * shards) / SLOTS) === i) return prefix.replace(match[0], `{${tag}}`);
    }
  });
}

/** FNV-1a, 32 bits: stable across processes and versions (never change it while queues hold jobs). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The shard an event goes to: by applicantId, or by event id for events that name no applicant. */
export function shardOf(key: string, shards: number): number {
  return shards <= 1 ? 0 : fnv1a(key) % shards;
}
