import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@kyc/db';
import {
  ADMIN_TOKEN,
  entryArgs,
  freePort,
  READ_TOKEN,
  type RedisServer,
  startRedisServer,
  TEST_SECRET,
  withSystem,
} from '@kyc/test-support';
import { afterEach, describe, expect, it } from 'vitest';

// `pnpm start` with Redis not there: no banner claiming it runs, one line per
// backoff step naming what is unreachable, and a stop that does not wait for it.
const system = withSystem();

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null> };
const running: Started[] = [];
let redis: RedisServer | undefined;

afterEach(async () => {
  for (const { child, exited } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
  await redis?.destroy();
  redis = undefined;
});

async function start(redisPort: number): Promise<Started & { port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, entryArgs('standalone'), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATABASE_URL: system.config.DATABASE_URL,
      QUEUE_PREFIX: system.config.QUEUE_PREFIX,
      SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
      API_READ_TOKEN: READ_TOKEN,
      API_ADMIN_TOKEN: ADMIN_TOKEN,
      SHUTDOWN_TIMEOUT_MS: '15000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = { child, output: () => text, exited, port };
  running.push(started);
  return started;
}

const waitingLines = (output: string, port: number) =>
  output.split('\n').filter((line) => line.includes(`waiting: Redis at 127.0.0.1:${port} is unreachable (ECONNREFUSED); next try in`));

/** SIGTERM, and how long until the process is gone. */
async function stopTimed({ child, exited }: Started): Promise<{ code: number | null; ms: number }> {
  const from = performance.now();
  child.kill('SIGTERM');
  const code = await exited;
  return { code, ms: performance.now() - from };
}

describe('pnpm start while Redis is unreachable', () => {
  it('waits with backoff, one line per step naming Redis, claims nothing, and stops at once', async () => {
    const redisPort = await freePort();
    const started = await start(redisPort);
    await expect.poll(() => waitingLines(started.output(), redisPort).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const [first, second] = waitingLines(started.output(), redisPort);
    expect(first).toMatch(/next try in 1 s/);
    expect(second).toMatch(/next try in 2 s/);
    expect(started.output()).not.toMatch(/is running/);
    expect(started.output()).not.toMatch(/redis error|ECONNREFUSED.*worker/i);
    expect(await fetch(`http://127.0.0.1:${started.port}/healthz`).catch(() => 'not listening')).toBe('not listening');
    const stopped = await stopTimed(started);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(2_000);
  });

  it('starts once Redis answers, then shuts down in under 2 s with nothing in flight', async () => {
    const redisPort = await freePort();
    const started = await start(redisPort);
    await expect.poll(() => waitingLines(started.output(), redisPort).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    redis = await startRedisServer({ port: redisPort });
    await expect.poll(() => started.output(), { timeout: 60_000 }).toMatch(/kyc-webhooks is running/);
    expect((await fetch(`http://127.0.0.1:${started.port}/healthz`)).status).toBe(200);
    const stopped = await stopTimed(started);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(2_000);
  });
});
