import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { type Config, describeTarget, SAFE_REDIS_SERVER_ARGS } from '@kyc/runtime';
import { Redis } from 'ioredis';

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      [
        'No Redis answers on 127.0.0.1:6379 and there is no redis-server on PATH to start one.',
        'Install Redis, then run this again:',
        '  Debian/Ubuntu:  apt-get install redis-server',
        '  macOS:          brew install redis',
        'or point REDIS_URL at a running Redis.',
      ].join('\n'),
    );
    this.name = 'RedisServerMissingError';
  }
}

export type LocalRedis = { url: string; description: string; stop: () => Promise<void> };

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function startPrivate(dir: string): Promise<LocalRedis> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  // AOF so accepted events survive a restart; noeviction so Redis never drops a job.
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...SAFE_REDIS_SERVER_ARGS],
    {
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 10_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    description: `private redis-server on port ${port}, AOF in ${dir}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM'); // redis-server flushes the AOF on SIGTERM
      await exited;
    },
  };
}

/** REDIS_URL or REDIS_CLUSTER_NODES when set; else a Redis already on 127.0.0.1:6379; else a private redis-server. */
export async function resolveRedis(config: Config): Promise<LocalRedis> {
  const none = async () => undefined;
  if (config.redisConfigured) return { url: config.REDIS_URL, description: describeTarget(config), stop: none };
  if (await answers(config.REDIS_URL)) return { url: config.REDIS_URL, description: 'Redis on 127.0.0.1:6379', stop: none };
  if (!hasRedisServer()) throw new RedisServerMissingError();
  return startPrivate(path.resolve(config.DATA_DIR, 'redis'));
}
