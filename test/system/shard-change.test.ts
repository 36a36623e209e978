import { generateDeliveries } from '@kyc/samples';
import { startSystem, testPrefix } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// docs/deploy.md, "Changing the number of shards": intake moves to the new layout,
// workers consume both layouts (QUEUE_SHARDS_PREVIOUS) until the old one is empty.
describe('changing QUEUE_SHARDS with events in flight', () => {
  it('loses nothing: events queued under one shard are applied by workers of the new layout', async () => {
    const prefix = testPrefix();
    const deliveries = generateDeliveries({ count: 120, applicants: 30, duplicates: 0, shuffle: true, seed: 3 });
    const before = await startSystem({ env: { QUEUE_PREFIX: prefix, QUEUE_SHARDS: '1' } });
    const ids: string[] = [];
    try {
      for (const { body } of deliveries.slice(0, 60)) ids.push(String((await before.post(body)).json.eventId));
      expect(await before.jobCount()).toBe(60); // no worker yet: in flight
    } finally {
      await before.stop();
    }
    const after = await startSystem({ env: { QUEUE_PREFIX: prefix, QUEUE_SHARDS: '3', QUEUE_SHARDS_PREVIOUS: '1' }, workers: 1 });
    try {
      for (const { body } of deliveries.slice(60)) ids.push(String((await after.post(body)).json.eventId));
      await after.drained();
      expect(await after.db.event.count({ where: { eventId: { in: ids }, status: 'applied' } })).toBe(120);
      expect(after.queues.all.map((q) => q.shard)).toEqual(['0', '1', '2', 'previous-0']);
    } finally {
      await after.stop();
    }
  });
});
