import { Redis } from 'ioredis';

/**
 * The producer connection fails fast: with no offline queue a command issued
 * while Redis is away rejects at once instead of waiting, so intake can answer
 * 503 and Sumsub retries later.
 */
export function createProducerRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

/**
 * Waits (bounded) for the connection to be ready, so the first requests after a
 * start are not refused merely because the socket is still opening. Resolves
 * false on timeout: the service still starts and answers 503 until Redis is back.
 */
export async function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}
