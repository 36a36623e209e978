import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@kyc/db';
import { openEventQueues } from '@kyc/jobs';
import { createRedis, loadConfig } from '@kyc/runtime';
import { entryArgs, freePort, type RedisServer, startRedisServer } from '@kyc/test-support';
import { memoryMb } from './support/servers.ts';

export type Footprint = {
  events: number;
  /** Deliveries the cli load did not see accepted (or answered as a duplicate): must be 0. */
  failed: number;
  loadSeconds: number;
  /** Seconds from the end of the load until every accepted event was applied. */
  drainSeconds: number;
  processes: { name: string; idle: number; peak: number }[];
  /** The processes together, in MB. */
  idle: number;
  peak: number;
};

type LoadSummary = { sent: number; accepted: number; duplicate: number; seconds: number };

/** Polls until GET path answers 2xx, or throws after timeoutMs. */
async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer 2xx`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The README's `pnpm cli load` (the CLI's build, as `pnpm cli` runs it), against
 * `url`, with the development secret the start generated in dataDir.
 */
async function cliLoad(url: string, dataDir: string, count: number): Promise<LoadSummary> {
  const args = ['packages/cli/dist/main.js', 'load', '--count', String(count), '--applicants', String(Math.ceil(count / 10))];
  args.push('--duplicates', '0.3', '--shuffle', '--concurrency', '32', '--seed', '7', '--url', url, '--json');
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as LoadSummary;
  } catch {
    throw new Error(`pnpm cli load printed no summary: ${stdout.slice(-500)}`);
  }
}

/** Waits until the event queue holds no open job and `accepted` jobs finished. */
async function drainQueue(redisUrl: string, accepted: number, timeoutMs: number): Promise<void> {
  const redis = createRedis({ REDIS_URL: redisUrl }, 'worker');
  redis.on('error', () => undefined);
  const queues = openEventQueues(loadConfig({ REDIS_URL: redisUrl }), redis);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        queues.all.map(({ queue }) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed')),
      );
      const sum = (names: string[]) => counts.reduce((n, c) => n + names.reduce((m, name) => m + (c[name] ?? 0), 0), 0);
      if (sum(['waiting', 'active', 'delayed', 'prioritized']) === 0 && sum(['completed', 'failed']) >= accepted) return;
      if (Date.now() > deadline) throw new Error('the embedded start did not apply the load in time');
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await queues.close();
    redis.disconnect();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * `pnpm start` on the embedded database (PGlite), the zero-setup path: the node
 * command package.json runs (not pnpm's wrapper), a fresh DATA_DIR, and a private
 * redis-server with the arguments `pnpm start` gives the one it starts itself
 * (AOF everysec, noeviction). Given to it as REDIS_URL because a Redis answers on
 * 6379 on a test machine, and `pnpm start` would use that one instead.
 * RSS of both once idle, then their high-water marks (VmHWM) after the README's
 * `pnpm cli load` of `events` deliveries was sent and applied.
 */
export async function embeddedFootprint(events: number): Promise<Footprint> {
  const redis: RedisServer = await startRedisServer({ appendonly: true, fsyncAlways: false });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kyc-bench-embedded-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, entryArgs('standalone'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    await waitForOk(`${url}/readyz`, 120_000);
    await new Promise((r) => setTimeout(r, 3000));
    const pids = [
      { name: 'pnpm start (node)', pid: child.pid },
      { name: 'redis-server', pid: redis.pid() },
    ];
    const idle = pids.map((p) => memoryMb(p.pid).rss);
    const summary = await cliLoad(url, dataDir, events);
    const loaded = Date.now();
    await drainQueue(redis.url, summary.accepted, 300_000);
    const drainSeconds = (Date.now() - loaded) / 1000;
    const processes = pids.map((p, i) => ({ name: p.name, idle: idle[i] ?? 0, peak: memoryMb(p.pid).peak }));
    return {
      events,
      failed: summary.sent - summary.accepted - summary.duplicate,
      loadSeconds: summary.seconds,
      drainSeconds,
      processes,
      idle: processes.reduce((n, p) => n + p.idle, 0),
      peak: processes.reduce((n, p) => n + p.peak, 0),
    };
  } finally {
    await stopChild(child);
    await redis.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export type IngestIdle = { afterStart: number; atRest: number; restSeconds: number };

/**
 * The ingest alone (`pnpm start:ingest`'s command, production mode, a private
 * redis-server), idle: its RSS 2 s after /healthz answers (when the end-to-end
 * part reads it), and after `restSeconds`, once V8's memory reducer has run on the
 * idle process (it shrinks the young generation and the old space startup grew,
 * about 15 s in on this machine).
 */
export async function ingestIdle(restSeconds: number): Promise<IngestIdle> {
  const redis: RedisServer = await startRedisServer({ appendonly: true, fsyncAlways: false });
  const port = await freePort();
  const child = spawn(process.execPath, entryArgs('ingest'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SUMSUB_WEBHOOK_SECRET: 'bench-ingest-idle-secret',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redis.url,
    },
    stdio: 'ignore',
  });
  try {
    const started = Date.now();
    await waitForOk(`http://127.0.0.1:${port}/healthz`, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    const afterStart = memoryMb(child.pid).rss;
    await new Promise((r) => setTimeout(r, Math.max(0, started + restSeconds * 1000 - Date.now())));
    return { afterStart, atRest: memoryMb(child.pid).rss, restSeconds };
  } finally {
    await stopChild(child);
    await redis.destroy();
  }
}
