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
