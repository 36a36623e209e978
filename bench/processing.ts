import { generateDeliveries } from '@kyc/samples';
import { type EventJob, eventJobOptions, isParseFailure, JOB_NAMES, parseWebhook, signBody } from '@kyc/contracts';
import { type LedgerEvent, migratePostgres } from '@kyc/db';
import pg from 'pg';
import { PROCESS_SECRET, startProcessSystem } from '@kyc/test-support';
import { sqlBaseline } from './support/sql-baseline.ts';

export type ProcessingRow = { events: number; concurrency: number; worker: number; baseline: number };

/** Distinct events as intake would have stored them: raw bodies signed with the system's secret. */
function distinctEvents(count: number): LedgerEvent[] {
  const now = Date.now();
  return generateDeliveries({ count, applicants: Math.ceil(count / 8), duplicates: 0, shuffle: true, seed: 21 }).map(({ body }) => {
    const parsed = parseWebhook(body);
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    const digest = signBody(body, PROCESS_SECRET);
    return { ...parsed, rawBody: body, digest, digestAlgorithm: 'HMAC_SHA256_HEX', receivedAt: now, attempts: 1, source: 'webhook' };
  });
}

const jobData = (e: LedgerEvent): EventJob => ({
  v: 2,
  eventId: e.eventId,
  rawBody: e.rawBody,
  digest: e.digest,
  digestAlgorithm: e.digestAlgorithm,
  receivedAt: e.receivedAt,
  source: 'webhook',
});

/**
 * Events applied per second by one worker process draining a pre-filled queue,
 * beside the same SQL sent with plain `pg` at the same concurrency.
 */
export async function benchProcessing(count: number, concurrency: number): Promise<ProcessingRow> {
  const events = distinctEvents(count);
  const system = await startProcessSystem('processing', { workers: 0, env: { WORKER_CONCURRENCY: String(concurrency) } });
  let worker: number;
  try {
    for (let i = 0; i < events.length; i += 1000) {
      await system.queue.addBulk(
        events.slice(i, i + 1000).map((e) => ({
          name: JOB_NAMES.applyEvent,
          data: jobData(e),
          opts: eventJobOptions(e.eventId, { attempts: 10, backoffMs: 200 }),
        })),
      );
    }
    system.addWorker();
    // Timed from the first completed job, so process start-up is not counted.
    let start = 0;
    let startCount = 0;
    for (;;) {
      const counts = await system.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
      if (!start && finished > 0) [start, startCount] = [performance.now(), finished];
      if (finished >= events.length) {
        worker = (events.length - startCount) / ((performance.now() - start) / 1000);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await system.stop();
  }
  const database = `kyc_bench_sql_${Date.now().toString(36)}`;
  const url = `postgresql://postgres@127.0.0.1:5432/${database}`;
  await migratePostgres(url);
  try {
    const baseline = await sqlBaseline(url, events, concurrency);
    return { events: count, concurrency, worker, baseline };
  } finally {
    const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}
