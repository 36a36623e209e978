import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis, loadConfig } from '@kyc/runtime';
import { createDb, type Db, migratePostgres, postgresAdapter, REPO_ROOT } from '@kyc/db';
import { openEventQueues, type ShardedQueue } from '@kyc/jobs';
import { ADMIN_URL, runSql } from './pg-admin.ts';
import { type EntryPoint, entryArgs } from './processes.ts';
import { freePort, type RedisServer, startRedisServer } from './redis-server.ts';
import { startTcpProxy } from './tcp-proxy.ts';

export const PROCESS_SECRET = 'reliability-secret';
/**
 * A second Sumsub account every process system has configured beside the default
 * one, so the reliability scenarios and process tests run with accounts configured
 * (their deliveries are the default account's, through /webhooks/sumsub).
 */
export const PROCESS_SANDBOX_SECRET = 'reliability-sandbox-secret';
export const PROCESS_ADMIN_TOKEN = 'reliability-admin-token-0123456789';
export const PROCESS_READ_TOKEN = 'reliability-read-token-01234567890';

type Proxy = Awaited<ReturnType<typeof startTcpProxy>>;
export type ProcessSystemOptions = {
  workers: number;
  /** Route workers' database connections through a proxy that can be cut. */
  proxyDatabase?: boolean;
  /** Route every Redis connection through a proxy that can be cut. */
  proxyRedis?: boolean;
  redisAppendFsyncAlways?: boolean;
  env?: Record<string, string>;
  /** Use this Redis Cluster (REDIS_CLUSTER_NODES) instead of a private redis-server. */
  redisClusterNodes?: string;
  /** Node flags for every process (e.g. --max-semi-space-size). */
  nodeFlags?: string[];
  /**
   * The processes that serve HTTP: the ingest and the api (default, the split
   * deployment), or `pnpm start`'s one process (intake, api and worker on one port).
   */
  front?: 'ingest' | 'standalone';
  /** Extra environment for the front process only (the ingest, or `pnpm start`'s one process). */
  frontEnv?: Record<string, string>;
};

/** Reads a process's resident memory from /proc (Linux). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * Reads the started processes' log (stdout and stderr of every process), for a
 * test that checks what the service printed or logged.
 */
export function processLog(dir: string): string {
  return readFileSync(path.join(dir, 'processes.log'), 'utf8');
}

/**
 * The system under test, as production runs it: one ingest process (no
 * database), one api process, N worker processes (each its own `node` running the production build), a private
 * redis-server (or the given Redis Cluster), and a fresh PostgreSQL database;
 * proxies where a scenario cuts a connection.
 */
export async function startProcessSystem(name: string, options: ProcessSystemOptions) {
  const dir = mkdtempSync(path.join(tmpdir(), `kyc-rel-${name}-`));
  const log: WriteStream = createWriteStream(path.join(dir, 'processes.log'));
  const redis: RedisServer | undefined = options.redisClusterNodes
    ? undefined
    : await startRedisServer({ appendonly: true, dir: path.join(dir, 'redis'), fsyncAlways: options.redisAppendFsyncAlways ?? false });
  const redisProxy: Proxy | undefined = options.proxyRedis && redis ? await startTcpProxy(redis.port) : undefined;
  const redisEnv: Record<string, string> = options.redisClusterNodes
    ? { REDIS_CLUSTER_NODES: options.redisClusterNodes }
    : { REDIS_URL: redisProxy ? `redis://127.0.0.1:${redisProxy.port}` : (redis as RedisServer).url };

  const database = `kyc_rel_${name.replace(/\W/g, '_')}_${Date.now().toString(36)}`;
  const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
  await migratePostgres(databaseUrl);
  const pgProxy: Proxy | undefined = options.proxyDatabase ? await startTcpProxy(Number(new URL(ADMIN_URL).port || 5432)) : undefined;
  const workerDatabaseUrl = pgProxy ? Object.assign(new URL(databaseUrl), { port: String(pgProxy.port) }).toString() : databaseUrl;

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const split = (options.front ?? 'ingest') === 'ingest';
  const apiPort = split ? await freePort() : port;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const prefix = `{kyc-rel-${name}}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...redisEnv,
    QUEUE_PREFIX: prefix,
    SUMSUB_WEBHOOK_SECRET: PROCESS_SECRET,
    SUMSUB_ACCOUNTS: 'sandbox',
    SUMSUB_ACCOUNT_SANDBOX_WEBHOOK_SECRET: PROCESS_SANDBOX_SECRET,
    API_READ_TOKEN: PROCESS_READ_TOKEN,
    API_ADMIN_TOKEN: PROCESS_ADMIN_TOKEN,
    WORKER_CONCURRENCY: '8',
    WORKER_LOCK_MS: '2000',
    JOB_ATTEMPTS: '12',
    JOB_BACKOFF_MS: '200',
    ...options.env,
  };
  const spawnEntry = (entry: EntryPoint, extra: Record<string, string>): ChildProcess => {
    // KYC_CPU_PROF=dir (in the environment, the system's env, or one process's extra) writes a
    // V8 CPU profile of the process to dir when it exits (pnpm bench --cpu-prof).
    const profileDir = extra.KYC_CPU_PROF ?? env.KYC_CPU_PROF ?? process.env.KYC_CPU_PROF;
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, ...(options.nodeFlags ?? []), ...entryArgs(entry)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    return child;
  };
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
  const stopChild = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (exited(child)) return;
    const done = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await done;
  };

  // The ingest needs no database: it is given none.
  const frontEnv = options.frontEnv ?? {};
  const ingest = split ? spawnEntry('ingest', frontEnv) : spawnEntry('standalone', { DATABASE_URL: databaseUrl, ...frontEnv });
  const api = split ? spawnEntry('api', { DATABASE_URL: databaseUrl, PORT: String(apiPort) }) : undefined;
  const workers: ChildProcess[] = [];
  const startWorker = (extra: Record<string, string> = {}) => spawnEntry('worker', { DATABASE_URL: workerDatabaseUrl, ...extra });
  for (let i = 0; i < options.workers; i++) workers.push(startWorker());

  const deadline = Date.now() + 60_000;
  const alive = (at: string) =>
    fetch(`${at}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  while (!(await alive(url)) || !(await alive(apiUrl))) {
    if (exited(ingest) || (api && exited(api)) || Date.now() > deadline) {
      throw new Error(`ingest or api did not start; see ${dir}/processes.log`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const db: Db = createDb(postgresAdapter(databaseUrl, 4));
  // Straight to Redis (never through the proxy), every shard's queue.
  const target = { REDIS_URL: redis?.url ?? '', REDIS_CLUSTER_NODES: options.redisClusterNodes };
  const inspector = createRedis(target, 'worker');
  inspector.on('error', () => undefined);
  const queues = openEventQueues(loadConfig(env), inspector);
  const queue = (queues.current[0] as ShardedQueue).queue;

  return {
    /** Where webhooks go. */
    url,
    /** Where the read API and admin routes are (the same port with `front: 'standalone'`). */
    apiUrl,
    dir,
    db,
    databaseUrl,
    queue,
    queues,
    redis,
    redisProxy,
    pgProxy,
    ingest,
    api,
    workers,
    /** SIGKILLs worker i and starts a replacement in its place. */
    async killWorker(i: number) {
      const old = workers[i];
      if (old) await stopChild(old, 'SIGKILL');
      workers[i] = startWorker();
    },
    ingestAlive: () => !exited(ingest),
    /** Starts one more worker process (with extra environment); returns it. */
    addWorker(extra: Record<string, string> = {}) {
      const child = startWorker(extra);
      workers.push(child);
      return child;
    },
    async stop() {
      await stopChild(ingest, 'SIGTERM');
      if (api) await stopChild(api, 'SIGTERM');
      await Promise.all(workers.map((w) => stopChild(w, 'SIGTERM')));
      await queues.close().catch(() => undefined);
      inspector.disconnect();
      await db.$disconnect();
      await redisProxy?.close();
      await pgProxy?.close();
      await redis?.destroy();
      log.end();
      await runSql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}

export type ProcessSystem = Awaited<ReturnType<typeof startProcessSystem>>;
