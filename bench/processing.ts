import { generateDeliveries } from '@kyc/samples';
import { eventJob } from '@kyc/jobs';
import { isParseFailure, parseWebhook, signBody } from '@kyc/sumsub-webhook';
import { type LedgerEvent, migratePostgres } from '@kyc/db';
import pg from 'pg';
import { PROCESS_SECRET, startProcessSystem } from '@kyc/test-support';
import { PRODUCTION_DEFAULTS } from './support/servers.ts';
import { sqlBaseline } from './support/sql-baseline.ts';

/** Distinct events as intake would have stored them: raw bodies signed with the system's secret. */
function distinctEvents(count: number): LedgerEvent[] {
  const now = Date.now();
  return generateDeliveries({ count, applicants: Math.ceil(count / 8), duplicates: 0, shuffle: true, seed: 21 }).map(({ body }) => {
    const parsed = parseWebhook(body);
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    const digest = signBody(body, PROCESS_SECRET);
    return {
      ...parsed,
      rawBody: body,
      digest,
      digestAlgorithm: 'HMAC_SHA256_HEX',
      receivedAt: now,
      attempts: 1,
      source: 'webhook',
      account: 'default',
    };
  });
}

/** The job intake would have stored for the event (attempts and backoff are the queue's). */
const jobOf = (e: LedgerEvent) =>
  eventJob({
    eventId: e.eventId,
    rawBody: e.rawBody,
    digest: e.digest,
    digestAlgorithm: e.digestAlgorithm,
    receivedAt: e.receivedAt,
    source: 'webhook',
  });

export type ProcessingRun = { workers: number; shards: number; eventsPerSecond: number };

/**
 * Fills the queue(s), starts `workers` worker processes, and times the drain from
 * the first finished job. With `profileDir`, the workers write CPU profiles there.
 */
async function drain(events: readonly LedgerEvent[], workers: number, shards: number, profileDir?: string): Promise<number> {
  const system = await startProcessSystem(`processing-${workers}-${shards}`, {
    workers: 0,
    env: { ...PRODUCTION_DEFAULTS, QUEUE_SHARDS: String(shards) },
  });
  try {
    for (let i = 0; i < events.length; i += 1000) {
      const slice = events.slice(i, i + 1000);
      for (const { queue } of system.queues.current) {
        const mine = slice.filter((e) => system.queues.queueFor(e) === queue);
        await queue.addBulk(mine.map(jobOf));
      }
    }
    for (let i = 0; i < workers; i++) system.addWorker(profileDir ? { KYC_CPU_PROF: profileDir } : {});
    let start = 0;
    let startCount = 0;
    for (;;) {
      const counts = await Promise.all(system.queues.all.map(({ queue }) => queue.getJobCounts('completed', 'failed')));
      const finished = counts.reduce((n, c) => n + (c.completed ?? 0) + (c.failed ?? 0), 0);
      if (!start && finished > 0) [start, startCount] = [performance.now(), finished];
      if (finished >= events.length) return (events.length - startCount) / ((performance.now() - start) / 1000);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await system.stop();
  }
}

/**
 * Events applied per second by 1, 2 and 4 worker processes (and 2 workers on 2
 * shards) draining a pre-filled queue, beside the same SQL statement per event sent
 * with plain `pg` at `baselineConcurrency` connections.
 */
export async function benchProcessing(
  count: number,
  baselineConcurrency: number,
): Promise<{ runs: ProcessingRun[]; baseline: number; baselines: number[]; events: number; baselineConcurrency: number }> {
  const events = distinctEvents(count);
  const runs: ProcessingRun[] = [];
  // Measured before and after the workers (PostgreSQL's background work after
  // 80,000 writes drifts it): the ratio uses the mean of the two.
  const baselines = [await baselineRun(events, baselineConcurrency)];
  for (const [workers, shards] of [
    [1, 1],
    [2, 1],
    [4, 1],
    [2, 2],
  ] as const) {
    await checkpoint();
    runs.push({ workers, shards, eventsPerSecond: await drain(events, workers, shards) });
  }
  baselines.push(await baselineRun(events, baselineConcurrency));
  return { runs, baseline: (baselines[0]! + baselines[1]!) / 2, baselines, events: count, baselineConcurrency };
}

/** One worker process draining `count` events, its CPU profile written to profileDir. */
export async function profileProcessing(count: number, profileDir: string): Promise<void> {
  await drain(distinctEvents(count), 1, 1, profileDir);
}

const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Flushes PostgreSQL's dirty buffers, so one measurement does not pay for the last one's writes. */
async function checkpoint(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query('CHECKPOINT');
  await admin.end();
}

/** The statement per event over plain pg, into a fresh database. */
async function baselineRun(events: readonly LedgerEvent[], concurrency: number): Promise<number> {
  const database = `kyc_bench_sql_${Date.now().toString(36)}`;
  const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
  await migratePostgres(url);
  await checkpoint();
  try {
    return await sqlBaseline(url, events, concurrency);
  } finally {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}
