import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedisSafety, enforceRedisSafety } from '../src/redis-safety.ts';
import { type RedisServer, startRedisServer } from '@kyc/test-support';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

const quiet = () => {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
};

describe('Redis safety at start', () => {
  it('accepts noeviction with AOF or RDB persistence', async () => {
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'appendonly', 'yes');
    expect(await checkRedisSafety(redis)).toEqual({ safe: true, skipped: false, problems: [] });
    await redis.config('SET', 'appendonly', 'no');
    await redis.config('SET', 'save', '900 1');
    expect((await checkRedisSafety(redis)).safe).toBe(true);
  });

  it('names an evicting policy and missing persistence', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await redis.config('SET', 'appendonly', 'no');
    await redis.config('SET', 'save', '');
    const result = await checkRedisSafety(redis);
    expect(result.safe).toBe(false);
    expect(result.problems.join(' ')).toMatch(/allkeys-lru.*noeviction/);
    expect(result.problems.join(' ')).toMatch(/persistence is off/);
  });

  it('warns in development, refuses in production unless ALLOW_UNSAFE_REDIS=1', async () => {
    const dev = quiet();
    expect(await enforceRedisSafety(redis, { production: false, allowUnsafe: false }, dev.log)).toBe(true);
    expect(dev.lines.join()).toMatch(/unsafe Redis/);
    const prod = quiet();
    expect(await enforceRedisSafety(redis, { production: true, allowUnsafe: false }, prod.log)).toBe(false);
    expect(prod.lines.join()).toMatch(/Refusing to start in production.*ALLOW_UNSAFE_REDIS=1/);
    expect(await enforceRedisSafety(redis, { production: true, allowUnsafe: true }, quiet().log)).toBe(true);
  });

  it('says the check was skipped where CONFIG is not allowed', async () => {
    const managed = { config: async () => Promise.reject(new Error("ERR unknown command 'CONFIG'")) };
    expect(await checkRedisSafety(managed)).toEqual({ safe: true, skipped: true, problems: [] });
    const out = quiet();
    expect(await enforceRedisSafety(managed, { production: true, allowUnsafe: false }, out.log)).toBe(true);
    expect(out.lines.join()).toMatch(/safety check skipped/);
  });
});
