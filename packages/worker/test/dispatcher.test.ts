import { createRedis } from '@kyc/runtime';
import { jobDefaults, openQueue, QUEUES, RETENTION } from '@kyc/jobs';
import { testConfig } from '@kyc/test-support';
import { Type } from '@sinclair/typebox';
import { type Job, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../src/jobs/definition.ts';
import { dispatcher } from '../src/jobs/dispatcher.ts';

// The one dispatcher, on a real queue: a job is looked up by name, its data is
// checked against its definition's schema where the job is taken, and only then
// handled with the deps made for it.

const config = testConfig({ JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '10' });
const connection = createRedis(config, 'worker');
const queue = openQueue(QUEUES.sumsubEvents, { connection, prefix: config.QUEUE_PREFIX, config });

const Sum = Type.Object({ a: Type.Integer(), b: Type.Integer() }, { additionalProperties: false });
const handled: unknown[] = [];
const sum = {
  name: 'test.sum',
  schema: Sum,
  async handle(data, job, deps) {
    handled.push(data);
    return { sum: data.a + data.b, by: deps.by, jobId: job.id };
  },
} as const satisfies JobDefinition<typeof Sum, object, { by: string }>;

const depsMadeFor: unknown[] = [];
const worker = new Worker(
  QUEUES.sumsubEvents,
  dispatcher([sum], (data) => {
    depsMadeFor.push(data);
    return { by: 'the test' };
  }),
  { connection, prefix: config.QUEUE_PREFIX },
);
worker.on('error', () => undefined);

afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

/** The job once BullMQ has finished with it. */
async function settled(job: Job): Promise<Job> {
  await expect.poll(async () => ['completed', 'failed'].includes(await job.getState()), { timeout: 10_000 }).toBe(true);
  return (await queue.getJob(job.id as string)) as Job;
}

describe('dispatcher', () => {
  it('fails a job with an unknown name at once, as a contract violation', async () => {
    const job = await settled(await queue.add('test.unknown', { a: 1, b: 2 }));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('payload violates the contract: no handler for job name test.unknown');
  });

  it('fails a job whose data breaks its schema at once, before any deps are made or the handler runs', async () => {
    const before = { handled: handled.length, deps: depsMadeFor.length };
    const job = await settled(await queue.add('test.sum', { a: 1, b: 'two' }));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('payload violates the contract: job data does not match the test.sum schema');
    expect({ handled: handled.length, deps: depsMadeFor.length }).toEqual(before);
  });

  it('hands good data to the handler with the deps made for it', async () => {
    const job = await settled(await queue.add('test.sum', { a: 2, b: 3 }, { jobId: 'sum-2-3' }));
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ sum: 5, by: 'the test', jobId: 'sum-2-3' });
    expect(depsMadeFor.at(-1)).toEqual({ a: 2, b: 3 });
  });

  it('refuses two definitions of one name', () => {
    expect(() => dispatcher([sum, sum], () => ({ by: 'x' }))).toThrow(/share a name/);
  });
});

describe('openQueue', () => {
  it('gives every job its queue’s attempts, backoff and retention; a job’s own options add to them', async () => {
    await queue.add('test.sum', { a: 0, b: 0 }, { jobId: 'defaults', delay: 60_000 });
    const job = (await queue.getJob('defaults')) as Job; // as Redis stores it
    expect(job.opts).toMatchObject({
      jobId: 'defaults',
      attempts: 4,
      backoff: { type: 'exponential', delay: 10, jitter: 0.5 },
      removeOnComplete: RETENTION.completed,
      removeOnFail: RETENTION.failed,
    });
    expect(jobDefaults(QUEUES.erasure, config)).toMatchObject({ removeOnComplete: true });
    await job.remove();
  });
});
