import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@kyc/standalone';
import { Redis } from 'ioredis';

export { freePort };

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      redis.disconnect();
    }
  }
}

/**
 * A private redis-server (from PATH) on its own port, for tests that stop, restart
 * or persist Redis. `appendonly` turns on AOF in a temporary directory.
 */
export async function startRedisServer(options: { appendonly?: boolean; fsyncAlways?: boolean; port?: number; dir?: string } = {}) {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'kyc-redis-'));
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--maxmemory-policy', 'noeviction'];
  if (options.appendonly) args.push('--appendonly', 'yes', '--appendfsync', options.fsyncAlways === false ? 'everysec' : 'always');
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const server = {
    port,
    url,
    dir,
    /** The running server's process id (CPU accounting in the benchmarks). */
    pid: () => child?.pid,
    async start() {
      child = spawn('redis-server', args, { stdio: 'ignore' });
      await waitForPing(url, 10_000);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async destroy() {
      await server.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;
