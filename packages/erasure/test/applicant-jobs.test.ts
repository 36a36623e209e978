import { createRedis } from '@kyc/runtime';
import { deliveryJobId, eventJob, openQueue, QUEUES } from '@kyc/jobs';
import { testConfig } from '@kyc/test-support';
import { type Job, type Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { applicantJobs, hasJobs } from '../src/applicant-jobs.ts';
import type { ErasureQueues } from '../src/queues.ts';

// Erasure looks an applicant's jobs up by the ids PostgreSQL gave back (event
// ids, deliveries with their generations); it reads job bodies only where the
// database cannot know the job yet, and never the completed set.

const config = testConfig();
const connection = createRedis(config, 'worker');
const open = (name: (typeof QUEUES)[keyof typeof QUEUES]) => openQueue(name, { connection, prefix: config.QUEUE_PREFIX, config });
const events = open(QUEUES.sumsubEvents);
const queues: ErasureQueues = {
  events: [events],
  notifications: open(QUEUES.notifications),
  sumsubApi: open(QUEUES.sumsubApi),
  redis: connection,
};

afterAll(async () => {
  for (const queue of [events, queues.notifications, queues.sumsubApi]) {
    await queue?.obliterate({ force: true });
    await queue?.close();
  }
  connection.disconnect();
});

const applicantId = `erase-by-id-${Date.now()}`;
const body = (who: string, n: number) => JSON.stringify({ applicantId: who, type: 'applicantPending', n });
const addEvent = (eventId: string, who: string) =>
  eventJob({
    eventId,
    rawBody: body(who, eventId.length),
    digest: 'd',
    digestAlgorithm: 'HMAC_SHA256_HEX',
    receivedAt: Date.now(),
    source: 'webhook',
    account: 'default',
  });

/** Runs the queue's waiting jobs to completion (a worker that does nothing), until `count` have completed. */
async function complete(queue: Queue, count: number): Promise<void> {
  const worker = new Worker(queue.name, async () => 'done', { connection, prefix: config.QUEUE_PREFIX });
  worker.on('error', () => undefined);
  await expect.poll(() => queue.getCompletedCount(), { timeout: 10_000 }).toBe(count);
  await worker.close();
}

const ids = (found: { job: Job }[]) => found.map(({ job }) => job.id).sort();

describe('an applicant’s jobs', () => {
  it('are found by event id and delivery generations, and by body only where PostgreSQL cannot know them', async () => {
    // Completed: a recorded event (its id known), and one the database would know had it run.
    for (const [id, who] of [
      ['evt_known_done', applicantId],
      ['evt_unlisted_done', applicantId],
    ] as const) {
      const job = addEvent(id, who);
      await events.add(job.name, job.data, job.opts);
    }
    await complete(events, 2);
    // Not run yet: unknown to the database, found by its body.
    const waiting = addEvent('evt_waiting', applicantId);
    await events.add(waiting.name, waiting.data, { ...waiting.opts, delay: 60_000 });
    const other = addEvent('evt_someone_else', 'someone-else');
    await events.add(other.name, other.data, { ...other.opts, delay: 60_000 });
    // A delivery given up and replayed has a job per generation.
    for (const generation of [0, 1]) {
      await queues.notifications.add(
        'notify.deliver',
        { v: 1, deliveryId: '7', generation },
        { jobId: deliveryJobId({ deliveryId: '7', generation }), delay: 60_000 },
      );
    }
    await queues.notifications.add('notify.deliver', { v: 1, deliveryId: '8', generation: 0 }, { jobId: 'dlv-8-0', delay: 60_000 });
    await queues.sumsubApi?.add('sumsub.reconcile-applicant', { v: 1, applicantId }, { jobId: 'reconcile-run-1', delay: 60_000 });

    const found = await applicantJobs(queues, {
      applicantId,
      eventIds: ['evt_known_done'],
      deliveries: [{ deliveryId: '7', generation: 1 }],
    });
    expect(found.map(([queue, jobs]) => [queue.name, ids(jobs)])).toEqual([
      // evt_unlisted_done is completed and not in the list: the completed set is not read.
      [QUEUES.sumsubEvents, ['evt_known_done', 'evt_waiting']],
      [QUEUES.notifications, ['dlv-7-0', 'dlv-7-1']],
      [QUEUES.sumsubApi, ['reconcile-run-1']],
    ]);
    expect(await hasJobs(queues, applicantId)).toBe(true);
    expect(await hasJobs(queues, 'nobody-known')).toBe(false);
  });
});
