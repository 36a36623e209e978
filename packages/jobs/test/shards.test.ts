import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import { eventQueueLayout } from '../src/queues.ts';
import { shardOf, shardPrefixes } from '../src/shards.ts';

describe('shards', () => {
  it('one shard is QUEUE_PREFIX itself; N shards get hashtags in N different slot ranges, stable across calls', () => {
    expect(shardPrefixes('{kyc-webhooks}', 1)).toEqual(['{kyc-webhooks}']);
    const prefixes = shardPrefixes('{kyc-webhooks}', 3);
    expect(shardPrefixes('{kyc-webhooks}', 3)).toEqual(prefixes);
    expect(new Set(prefixes).size).toBe(3);
    const ranges = prefixes.map((p) => Math.floor((calculateSlot(p.slice(1, -1)) * 3) / 16384));
    expect(ranges).toEqual([0, 1, 2]);
  });

  it('an applicant always lands on the same shard, and applicants spread over all shards', () => {
    expect(shardOf('5cb56e8e0a975a35f333cb83', 4)).toBe(shardOf('5cb56e8e0a975a35f333cb83', 4));
    const used = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`applicant-${i}`, 4)));
    expect(used).toEqual(new Set([0, 1, 2, 3]));
    expect(shardOf('anything', 1)).toBe(0);
  });

  it('while the shard count changes, workers also drain the previous layout', () => {
    const layout = eventQueueLayout({ QUEUE_PREFIX: '{k}', QUEUE_SHARDS: 2, QUEUE_SHARDS_PREVIOUS: 1 });
    expect(layout.current.map((q) => q.shard)).toEqual(['0', '1']);
    expect(layout.draining).toEqual([{ shard: 'previous-0', index: 0, prefix: '{k}' }]);
    expect(eventQueueLayout({ QUEUE_PREFIX: '{k}', QUEUE_SHARDS: 2 }).draining).toEqual([]);
  });
});
