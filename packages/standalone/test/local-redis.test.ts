import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@kyc/runtime';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisServerMissingError, resolveRedis } from '../src/local-redis.ts';
import { freePort } from '@kyc/test-support';

const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-local-redis-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A config whose "default" Redis address has nothing listening, as on a machine with no Redis. */
async function configWithNoRedis() {
  const config = loadConfig({ DATA_DIR: dataDir });
  return { ...config, REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
}

describe('Redis on demand', () => {
  it('uses REDIS_URL as given', async () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(await resolveRedis(config)).toMatchObject({ url: 'redis://127.0.0.1:6379' });
  });

  it('starts a private redis-server with AOF under DATA_DIR when none answers, and stops it', async () => {
    const local = await resolveRedis(await configWithNoRedis());
    const redis = new Redis(local.url);
    try {
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      await redis.set('probe', '1');
    } finally {
      redis.disconnect();
      await local.stop();
    }
    expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);
    const after = new Redis(local.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
  });

  it('says how to install redis-server when there is none on PATH', async () => {
    const config = await configWithNoRedis();
    const path_ = process.env.PATH;
    process.env.PATH = dataDir;
    try {
      const error = await resolveRedis(config).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisServerMissingError);
      expect((error as Error).message).toMatch(/apt-get install redis-server/);
      expect((error as Error).message).toMatch(/brew install redis/);
    } finally {
      process.env.PATH = path_;
    }
  });
});
