import { type Config, createMetricsRegistry, createRedis } from '@kyc/runtime';
import { createDb, pgSql, postgresAdapter, type Sql } from '@kyc/db';
import { startApi } from '@kyc/api';
import { startIngest } from '@kyc/ingest';
import { openEventQueues, type ShardedQueue } from '@kyc/jobs';
import { startFront } from '@kyc/standalone';
import { APPLY_IN_FLIGHT, startWorker, WORKER_OTHER_CONNECTIONS, type WorkerRuntime } from '@kyc/worker';
import { type Queue } from 'bullmq';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, expect } from 'vitest';
import { testConfig } from './env.ts';
import { adminCall, getJson, type HttpResult, type PostOptions, postWebhook } from './http.ts';
import { ownDatabase } from './pg-admin.ts';

export type SystemOptions = {
  /** In-process workers to start with the ingest (each with its own connections, as a process would). */
  workers?: number;
  /** Environment overrides, validated like the real configuration. */
  env?: Record<string, string>;
  /** A database of its own instead of the run's shared one (see ownDatabase()). */
  ownDatabase?: boolean;
  /**
   * The split deployment's HTTP services, each on its own port: the ingest (`url`)
   * and the api (`apiUrl`). Default: `pnpm start`'s one port for both.
   */
  split?: boolean;
};

/** The HTTP side: one port (intake and api), or the ingest and the api apart. */
async function startHttp(config: Config, sql: ReturnType<typeof pgSql>, registry: Registry, split: boolean) {
  if (!split) {
    const front = await startFront(config, sql, registry);
    return { url: front.url, apiUrl: front.url, stop: front.stop };
  }
  const ingest = await startIngest(config, registry);
  const api = await startApi(config, sql, registry);
  return {
    url: ingest.url,
    apiUrl: api.url,
    async stop() {
      await ingest.stop();
      await api.stop();
    },
  };
}

/** Counts of jobs not yet finished (waiting, active, delayed, prioritized). */
export async function openJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Waits until the queue has nothing left to run; fails the test after timeoutMs. */
export async function drained(queue: Queue, timeoutMs = 60_000): Promise<void> {
  await expect.poll(() => openJobs(queue), { timeout: timeoutMs, interval: 50, message: 'queue still has open jobs' }).toBe(0);
}

/**
 * The running system as a test sees it: a real ingest on a free port, in-process
 * workers, this run's database and a fresh queue prefix, and handles to look
 * inside Redis and PostgreSQL.
 */
export async function startSystem(options: SystemOptions = {}) {
  const own = options.ownDatabase ? await ownDatabase() : undefined;
  const config = testConfig({ ...options.env, ...(own ? { DATABASE_URL: own.url } : {}) });
  const db = createDb(postgresAdapter(config.DATABASE_URL, 4));
  const registry = createMetricsRegistry();
  const sql = pgSql(config.DATABASE_URL, 4);
  const ingest = await startHttp(config, sql, registry, options.split ?? false);
  const inspector = createRedis(config, 'worker');
  inspector.on('error', () => undefined);
  // Every shard's queue (one unless QUEUE_SHARDS is set); `queue` is shard 0.
  const queues = openEventQueues(config, inspector);
  const queue = (queues.current[0] as ShardedQueue).queue;
  const workers: { runtime: WorkerRuntime; pools: Sql[] }[] = [];

  const system = {
    /** Where webhooks go (and, on one port, everything else). */
    url: ingest.url,
    /** Where the read API, admin routes, dashboard and docs are. */
    apiUrl: ingest.apiUrl,
    config,
    db,
    queue,
    queues,
    redis: inspector,
    registry,
    /**
     * Starts n more workers, sharing the ingest's metrics registry (as `pnpm start`
     * does), on plain pg in two pools as production's worker runs (startWorkerOnPostgres).
     */
    addWorkers(n: number, overrides: Partial<Config & { DATABASE_URL: string }> = {}): void {
      const workerConfig = { ...config, ...overrides };
      for (let i = 0; i < n; i++) {
        const other = pgSql(workerConfig.DATABASE_URL, WORKER_OTHER_CONNECTIONS);
        const apply = pgSql(workerConfig.DATABASE_URL, APPLY_IN_FLIGHT);
        workers.push({ runtime: startWorker(workerConfig, other, pino({ level: 'silent' }), registry, apply), pools: [apply, other] });
      }
    },
    async stopWorkers(): Promise<void> {
      for (const { runtime, pools } of workers.splice(0)) {
        await runtime.stop();
        for (const pool of pools) await pool.close();
      }
    },
    post: (body: string | Record<string, unknown>, postOptions?: PostOptions): Promise<HttpResult> =>
      postWebhook(ingest.url, typeof body === 'string' ? body : JSON.stringify(body), postOptions),
    get: (path: string, token?: string): Promise<HttpResult> => getJson(`${ingest.apiUrl}${path}`, token),
    /** An admin API call with the admin token. */
    admin: (method: string, path: string, body?: unknown): Promise<HttpResult> => adminCall(ingest.apiUrl, method, path, body),
    /** Jobs stored in any state, over every shard. */
    async jobCount(): Promise<number> {
      const counts = await Promise.all(queues.all.map(({ queue: q }) => q.getJobCounts()));
      return counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
    },
    /** Waits until no shard has anything left to run. */
    drained: async (timeoutMs = 60_000) => {
      const open = async () => (await Promise.all(queues.all.map(({ queue: q }) => openJobs(q)))).reduce((a, b) => a + b, 0);
      await expect.poll(open, { timeout: timeoutMs, interval: 50, message: 'queues still have open jobs' }).toBe(0);
    },
    async stop(): Promise<void> {
      await ingest.stop();
      await sql.close();
      await system.stopWorkers();
      await queues.close();
      inspector.disconnect();
      await db.$disconnect();
      await own?.drop();
    },
  };
  system.addWorkers(options.workers ?? 0);
  return system;
}

export type TestSystem = Awaited<ReturnType<typeof startSystem>>;

/**
 * The system as a fixture of the enclosing file or describe block: started in
 * beforeAll, stopped in afterAll. The returned object is filled in once started.
 */
export function withSystem(options: SystemOptions = {}): TestSystem {
  const handle = {} as TestSystem;
  beforeAll(async () => {
    Object.assign(handle, await startSystem(options));
  });
  afterAll(async () => {
    await handle.stop?.();
  });
  return handle;
}

export type { Registry };
