import { randomBytes } from 'node:crypto';
import { type Config, createRedis, type RedisClient, queueTelemetry } from '@kyc/runtime';
import { fetchDocumentsJob, openQueue, QUEUES, reconcileJob, type ReconcileOutcome } from '@kyc/jobs';
import { type Job, type Queue, QueueEvents } from 'bullmq';

/** A reconciliation page's tally: what the spec asks for (checked, updated, failed) and the rest of the story. */
export type ReconcileTally = { checked: number; updated: number; unchanged: number; notFound: number; failed: number; pending: number };

export type SumsubApiQueue = {
  queue: Queue;
  /** Queues a fetch of the applicant's document results (the review the record holds). */
  refresh(applicantId: string): Promise<string>;
  /**
   * Queues one reconcile job per applicant and waits for them, up to `waitMs`; what is still running is `pending`.
   * `account`: whose credentials read an applicant the database does not know yet (a known one's owner's are used).
   */
  reconcile(applicantIds: readonly string[], waitMs: number, account?: string): Promise<ReconcileTally>;
  close(): Promise<void>;
};

/** Attempts of a reconcile job someone waits for: a failure is reported while they wait. */
const WAITED_ATTEMPTS = 3;

/**
 * The api's side of the `sumsub-api` queue: it never calls Sumsub itself
 * (every call is a worker's job, under the one rate limiter); it queues jobs and,
 * for reconciliation, waits for their outcome through the queue's events (BullMQ's
 * QueueEvents, on a connection of its own: it blocks on the events stream).
 */
export function openSumsubApiQueue(config: Config, connection: RedisClient): SumsubApiQueue {
  const queue = openQueue(QUEUES.sumsubApi, { connection, prefix: config.QUEUE_PREFIX, config });
  const eventsConnection = createRedis(config, 'worker');
  eventsConnection.on('error', () => undefined);
  const events = new QueueEvents(QUEUES.sumsubApi, { ...queueTelemetry(), connection: eventsConnection, prefix: config.QUEUE_PREFIX });
  events.on('error', () => undefined);
  return {
    queue,
    async refresh(applicantId) {
      const job = fetchDocumentsJob(applicantId, null, randomBytes(8).toString('hex'));
      await queue.add(job.name, job.data, job.opts);
      return job.opts.jobId;
    },
    async reconcile(applicantIds, waitMs, account) {
      const runId = randomBytes(8).toString('hex');
      const jobs = await queue.addBulk(applicantIds.map((id) => reconcileJob(id, runId, WAITED_ATTEMPTS, account)));
      const settled = await Promise.allSettled(jobs.map((job) => job.waitUntilFinished(events, waitMs)));
      const tally: ReconcileTally = { checked: 0, updated: 0, unchanged: 0, notFound: 0, failed: 0, pending: 0 };
      await Promise.all(
        settled.map(async (result, i) => {
          if (result.status === 'rejected') {
            // Failed, or still running when the wait ran out: the job's state tells which.
            const state = await (jobs[i] as Job).getState();
            if (state === 'failed' || state === 'unknown') tally.failed++;
            else tally.pending++;
            return;
          }
          const { outcome } = result.value as { outcome: ReconcileOutcome };
          tally.checked++;
          if (outcome === 'updated') tally.updated++;
          else if (outcome === 'not_found') tally.notFound++;
          else tally.unchanged++;
        }),
      );
      return tally;
    },
    async close() {
      await events.close();
      await queue.close();
      eventsConnection.disconnect();
    },
  };
}
