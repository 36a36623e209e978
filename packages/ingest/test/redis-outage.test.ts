import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startSystem, type TestSystem, webhook, type RedisServer, startRedisServer, within } from '@kyc/test-support';

let redis: RedisServer;
let system: TestSystem;
beforeAll(async () => {
  redis = await startRedisServer();
  system = await startSystem({ env: { REDIS_URL: redis.url, ENQUEUE_TIMEOUT_MS: '1000' } });
});
afterAll(async () => {
  await system.stop();
  await redis.destroy();
});

describe('Redis unavailable', () => {
  it('answers 503 with Retry-After, fast, and never 2xx; accepts again once Redis is back', async () => {
    expect((await postWebhook(system.url, JSON.stringify(webhook()))).status).toBe(200);
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      // Answered after ENQUEUE_TIMEOUT_MS (1 s), not held until Redis is back: the bound only ends a wait that would never end.
      const result = await within(postWebhook(system.url, JSON.stringify(webhook())), 20_000, 'a 503 while Redis is down');
      expect(result.status).toBe(503);
      expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(result.json).toEqual({ error: 'queue_unavailable', message: expect.any(String) });
    }
    await redis.start();
    let eventId: unknown;
    await expect
      .poll(
        async () => {
          const result = await postWebhook(system.url, JSON.stringify(webhook()));
          eventId = result.json.eventId;
          return result.status;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(200);
    expect(await system.queue.getJob(String(eventId))).toBeDefined();
  });
});
