import { randomBytes } from 'node:crypto';
import { type Config, fetchDocumentsJob, QUEUES, reconcileJob, type ReconcileOutcome, type RedisClient } from '@kyc/contracts';
import { type Job, Queue } from 'bullmq';

/** A reconciliation page's tally: what the spec asks for (checked, updated, failed) and the rest of the story. */
export type ReconcileTally = { checked: number; updated: number; unchanged: number; notFound: number; failed: number; pending: number };

export type SumsubApiQueue = {
  queue: Queue;
  /** Queues a fetch of the applicant's document results (the review the record holds). */
  refresh(applicantId: string): Promise<string>;
  /** Queues one reconcile job per applicant and waits for them, up to `waitMs`; what is still running is `pending`. */
  reconcile(applicantIds: readonly string[], waitMs: number): Promise<ReconcileTally>;
};

/** Attempts of a reconcile job someone waits for: a failure is reported while they wait. */
const WAITED_ATTEMPTS = 3;
const POLL_MS = 200;

type Finished = { state: 'completed'; outcome: ReconcileOutcome } | { state: 'failed' } | { state: 'open' };

async function stateOf(queue: Queue, id: string): Promise<Finished> {
  const job: Job | undefined = await queue.getJob(id);
  if (!job) return { state: 'failed' };
  if (job.finishedOn && !job.failedReason)
    return { state: 'completed', outcome: (job.returnvalue as { outcome: ReconcileOutcome }).outcome };
  if (job.finishedOn) return { state: 'failed' };
  return { state: 'open' };
}

/**
 * The ingest's side of the `sumsub-api` queue: it never calls Sumsub itself
 * (every call is a worker's job, under the one rate limiter); it queues jobs and,
 * for reconciliation, waits for their outcome.
 */
export function openSumsubApiQueue(config: Config, connection: RedisClient): SumsubApiQueue {
  const queue = new Queue(QUEUES.sumsubApi, { connection, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => undefined);
  return {
    queue,
    async refresh(applicantId) {
      const job = fetchDocumentsJob(applicantId, null, randomBytes(8).toString('hex'));
      await queue.add(job.name, job.data, job.opts);
      return job.opts.jobId;
    },
    async reconcile(applicantIds, waitMs) {
      const runId = randomBytes(8).toString('hex');
      const jobs = applicantIds.map((id) => reconcileJob(id, runId, WAITED_ATTEMPTS));
      await queue.addBulk(jobs);
      const tally: ReconcileTally = { checked: 0, updated: 0, unchanged: 0, notFound: 0, failed: 0, pending: 0 };
      let open = jobs.map((job) => job.opts.jobId);
      const deadline = Date.now() + waitMs;
      while (open.length > 0) {
        const states = await Promise.all(open.map((id) => stateOf(queue, id)));
        const still: string[] = [];
        states.forEach((finished, i) => {
          if (finished.state === 'open') still.push(open[i] as string);
          else if (finished.state === 'failed') tally.failed++;
          else {
            tally.checked++;
            if (finished.outcome === 'updated') tally.updated++;
            else if (finished.outcome === 'not_found') tally.notFound++;
            else tally.unchanged++;
          }
        });
        open = still;
        if (open.length === 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      tally.pending = open.length;
      return tally;
    },
  };
}
