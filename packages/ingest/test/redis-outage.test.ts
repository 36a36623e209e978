import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../../../test/support/http.ts';
import { startTestIngest, type TestIngest } from '../../../test/support/ingest-harness.ts';
import { webhook } from '../../../test/support/payloads.ts';
import { type RedisServer, startRedisServer } from '../../../test/support/redis-server.ts';

let redis: RedisServer;
let ingest: TestIngest;
beforeAll(async () => {
  redis = await startRedisServer();
  ingest = await startTestIngest({ REDIS_URL: redis.url, ENQUEUE_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await ingest.stop();
  await redis.destroy();
});

describe('Redis unavailable', () => {
  it('answers 503 with Retry-After, fast, and never 2xx; accepts again once Redis is back', async () => {
    expect((await postWebhook(ingest.url, JSON.stringify(webhook()))).status).toBe(200);
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const result = await postWebhook(ingest.url, JSON.stringify(webhook()));
      expect(result.status).toBe(503);
      expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(result.json).toEqual({ error: 'queue_unavailable', message: expect.any(String) });
      expect(Date.now() - started).toBeLessThan(3000);
    }
    await redis.start();
    const deadline = Date.now() + 10_000;
    let status = 0;
    let eventId: unknown;
    while (Date.now() < deadline && status !== 200) {
      const result = await postWebhook(ingest.url, JSON.stringify(webhook()));
      status = result.status;
      eventId = result.json.eventId;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect(await ingest.queue.getJob(String(eventId))).toBeDefined();
  });
});
