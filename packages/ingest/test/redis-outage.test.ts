import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startSystem, type TestSystem, webhook, type RedisServer, startRedisServer } from '@kyc/test-support';

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
      const started = Date.now();
      const result = await postWebhook(system.url, JSON.stringify(webhook()));
      expect(result.status).toBe(503);
      expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(result.json).toEqual({ error: 'queue_unavailable', message: expect.any(String) });
      expect(Date.now() - started).toBeLessThan(3000);
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
