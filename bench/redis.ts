import { RETENTION } from '@kyc/jobs';
import { generateDeliveries } from '@kyc/samples';
import { type RedisServer, startRedisServer } from '@kyc/test-support';
import { type JobsOptions, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { cpuSeconds } from './support/servers.ts';

export type RedisJobsRow = { variant: string; addMicros: number; completeMicros: number };

type Variant = {
  name: string;
  /** Jobs per add call: 1 is `add`, more is `addBulk`. */
  batch: number;
  /** Job data: an event job with a ~2 KB raw body, or a small one. */
  big: boolean;
  /** Retention of completed jobs: BullMQ removes at once, or today's age/count (kept for 24 h, at most 50,000). */
  removeOnComplete: JobsOptions['removeOnComplete'];
};

const VARIANTS: readonly Variant[] = [
  { name: 'add, small job, removeOnComplete: true', batch: 1, big: false, removeOnComplete: true },
  { name: 'addBulk of 20, small job, removeOnComplete: true', batch: 20, big: false, removeOnComplete: true },
  { name: 'add, event job (~2 KB body), removeOnComplete: true', batch: 1, big: true, removeOnComplete: true },
  { name: 'addBulk of 20, event job (~2 KB body), removeOnComplete: true', batch: 20, big: true, removeOnComplete: true },
  {
    name: "add, event job (~2 KB body), today's retention (age 24 h, count 50,000)",
    batch: 1,
    big: true,
    removeOnComplete: RETENTION.completed,
  },
  {
    name: "addBulk of 20, event job (~2 KB body), today's retention (as the ingest and worker run)",
    batch: 20,
    big: true,
    removeOnComplete: RETENTION.completed,
  },
];

/** The production worker's concurrency (WORKER_CONCURRENCY's default): jobs fetched and completed one by one. */
const WORKER_CONCURRENCY = 256;
const BODY_BYTES = 2048;

/** Job data shaped as the EventJob, its raw body a real delivery padded to ~2 KB; or a job that names an event only. */
function jobData(count: number, big: boolean): Record<string, unknown>[] {
  const deliveries = generateDeliveries({ count, applicants: Math.ceil(count / 10), duplicates: 0, shuffle: false, seed: 51 });
  return deliveries.map(({ body }, i) => {
    const eventId = `evt-${i}`;
    if (!big) return { v: 2, eventId };
    const padding = Math.max(0, BODY_BYTES - body.length - 16);
    const rawBody = `${body.slice(0, -1)},"padding":"${'x'.repeat(padding)}"}`;
    return {
      v: 2,
      eventId,
      rawBody,
      digest: 'a'.repeat(64),
      digestAlgorithm: 'HMAC_SHA256_HEX',
      receivedAt: Date.now(),
      source: 'webhook',
    };
  });
}

/** Adds every job (one at a time or in bulks), then a Worker completes them one by one; Redis CPU per job for each phase. */
async function measure(redis: RedisServer, variant: Variant, index: number, count: number): Promise<RedisJobsRow> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const prefix = `{bench-redis-${index}}`;
  const queue = new Queue('jobs', { connection, prefix });
  const data = jobData(count, variant.big);
  const opts = (i: number): JobsOptions => ({
    jobId: `evt-${i}`,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: variant.removeOnComplete,
    removeOnFail: RETENTION.failed,
  });
  const pid = redis.pid();
  const addStart = cpuSeconds(pid);
  // Several producers' calls in flight, as the ingest's requests are.
  const inFlight = 16;
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += variant.batch) {
    const slice = data.slice(i, i + variant.batch);
    calls.push(
      variant.batch === 1
        ? queue.add('apply', slice[0], opts(i))
        : queue.addBulk(slice.map((d, j) => ({ name: 'apply', data: d, opts: opts(i + j) }))),
    );
    if (calls.length >= inFlight) await Promise.all(calls.splice(0));
  }
  await Promise.all(calls);
  const addCpu = cpuSeconds(pid) - addStart;

  const completeStart = cpuSeconds(pid);
  let done = 0;
  const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  // Retention comes with each job's options, as the ingest sets it.
  const worker = new Worker('jobs', async () => undefined, { connection: workerConnection, prefix, concurrency: WORKER_CONCURRENCY });
  await new Promise<void>((resolve) => worker.on('completed', () => ++done === count && resolve()));
  const completeCpu = cpuSeconds(pid) - completeStart;
  await worker.close();
  workerConnection.disconnect();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return { variant: variant.name, addMicros: (addCpu * 1e6) / count, completeMicros: (completeCpu * 1e6) / count };
}

/**
 * Redis's share of the per-event CPU, by BullMQ pattern: redis-server's CPU time
 * (/proc/<pid>/stat of a private server with AOF everysec, as the services run)
 * per job to add `count` jobs and to complete them with a Worker.
 */
export async function benchRedisJobs(count: number): Promise<RedisJobsRow[]> {
  const redis = await startRedisServer({ appendonly: true, fsyncAlways: false });
  try {
    const rows: RedisJobsRow[] = [];
    for (const [i, variant] of VARIANTS.entries()) rows.push(await measure(redis, variant, i, count));
    return rows;
  } finally {
    await redis.destroy();
  }
}
