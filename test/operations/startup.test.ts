import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '@kyc/db';
import {
  ADMIN_TOKEN,
  type EntryPoint,
  entryArgs,
  freePort,
  READ_TOKEN,
  runSql,
  type RedisServer,
  startRedisServer,
  startTcpProxy,
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

async function spawnEntry(entry: EntryPoint, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, entryArgs(entry), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      QUEUE_PREFIX: system.config.QUEUE_PREFIX,
      SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
      API_READ_TOKEN: READ_TOKEN,
      API_ADMIN_TOKEN: ADMIN_TOKEN,
      SHUTDOWN_TIMEOUT_MS: '15000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = { child, output: () => text, exited };
  running.push(started);
  return started;
}

async function start(redisPort: number): Promise<Started & { port: number }> {
  const port = await freePort();
  const env = { PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}`, DATABASE_URL: system.config.DATABASE_URL };
  return { ...(await spawnEntry('standalone', env)), port };
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

// `pnpm start:ingest`, `start:api` and `start:worker` wait the same way: the
// ingest for Redis, the api and the worker for Redis and the database. Each is
// given its operations port, served only once the process has started.
const SPLIT = [
  { entry: 'ingest', database: false, banner: /Server listening/ },
  { entry: 'api', database: true, banner: /Server listening/ },
  { entry: 'worker', database: true, banner: /worker started/ },
] as const;

const proxies: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

const waitingFor = (output: string) => output.split('\n').filter((line) => line.includes('waiting: '));
const redisDown = (port: number) => `Redis at 127.0.0.1:${port} is unreachable (ECONNREFUSED)`;
const databaseDown = (port: number) => new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}/[^ ]+ is unreachable \\(ECONNREFUSED\\)`);
const answers = (url: string) =>
  fetch(url).then(
    (response) => response.status,
    () => 'not listening',
  );

/** One split process with Redis on a dead port and (for the api and worker) the database behind a cut proxy. */
async function startSplit(entry: (typeof SPLIT)[number]['entry']) {
  const [redisPort, port, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const database = await startTcpProxy(Number(new URL(system.config.DATABASE_URL).port || 5432));
  proxies.push(database);
  await database.cut();
  const started = await spawnEntry(entry, {
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    DATABASE_URL: Object.assign(new URL(system.config.DATABASE_URL), { port: String(database.port) }).toString(),
  });
  return { ...started, redisPort, database, urls: [`http://127.0.0.1:${port}/healthz`, `http://127.0.0.1:${metricsPort}/healthz`] };
}

describe.each(SPLIT.map((split) => [split.entry, split] as const))(
  'pnpm start:%s while its dependencies are unreachable',
  (entry, { database, banner }) => {
    it('waits with backoff, one line per step naming each unreachable service, claims nothing, and a SIGTERM stops it at once', async () => {
      const started = await startSplit(entry);
      await expect.poll(() => waitingFor(started.output()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      const [first, second] = waitingFor(started.output());
      for (const line of [first, second]) {
        expect(line).toContain(redisDown(started.redisPort));
        if (database) expect(line).toMatch(databaseDown(started.database.port));
        else expect(line).not.toMatch(/PostgreSQL/);
      }
      expect(first).toMatch(/next try in 1 s/);
      expect(second).toMatch(/next try in 2 s/);
      expect(started.output()).not.toMatch(banner);
      for (const url of started.urls) expect(await answers(url)).toBe('not listening');
      const stopped = await stopTimed(started);
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(2_000);
      expect(started.output()).toMatch(/stopped while waiting for Redis.*; nothing was started/);
    });

    it('starts once they answer, then shuts down in under 2 s with nothing in flight', async () => {
      const started = await startSplit(entry);
      await expect.poll(() => waitingFor(started.output()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      redis = await startRedisServer({ port: started.redisPort });
      if (database) {
        // Redis answers now; the next step names only the database, and nothing starts yet.
        await expect
          .poll(() => waitingFor(started.output()).filter((line) => !line.includes('Redis at')).length, { timeout: 30_000 })
          .toBeGreaterThanOrEqual(1);
        expect(waitingFor(started.output()).at(-1)).toMatch(databaseDown(started.database.port));
        expect(started.output()).not.toMatch(banner);
        await started.database.restore();
      }
      await expect.poll(() => started.output(), { timeout: 60_000 }).toMatch(banner);
      await expect.poll(() => answers(started.urls[1] ?? ''), { timeout: 30_000 }).toBe(200);
      const stopped = await stopTimed(started);
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(2_000);
    });
  },
);

// A database that does not exist yet: `pnpm start` migrates, which creates it; the
// api and worker do not migrate, so they wait and name the command that does.
describe('a DATABASE_URL whose database does not exist', () => {
  const missing = () => {
    const url = new URL(system.config.DATABASE_URL);
    url.pathname = `/${url.pathname.slice(1)}_missing_${process.pid}`;
    return url;
  };

  it('pnpm start creates it by migrating, and runs', async () => {
    const url = missing();
    const [redisPort, port] = [await freePort(), await freePort()];
    redis = await startRedisServer({ port: redisPort });
    try {
      const started = await spawnEntry('standalone', {
        PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        DATABASE_URL: url.toString(),
      });
      await expect.poll(() => started.output(), { timeout: 60_000 }).toMatch(/kyc-webhooks is running/);
      expect(started.output()).toMatch(/PostgreSQL migrated/);
      expect((await stopTimed(started)).code).toBe(0);
    } finally {
      await runSql(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    }
  });

  it('pnpm start:api waits, naming the database and the command that creates it', async () => {
    const url = missing();
    const [redisPort, port] = [await freePort(), await freePort()];
    redis = await startRedisServer({ port: redisPort });
    const started = await spawnEntry('api', {
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATABASE_URL: url.toString(),
    });
    await expect.poll(() => waitingFor(started.output()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(waitingFor(started.output())[0]).toContain(`has no database ${url.pathname.slice(1)}: run pnpm migrate:deploy`);
    expect(started.output()).not.toMatch(/Server listening/);
    expect((await stopTimed(started)).code).toBe(0);
  });
});
