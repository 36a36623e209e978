import { apiAccounts, type Config, type RedisClient, queueTelemetry } from '@kyc/runtime';
import {
  eraseJob,
  type EraseJobSchema,
  eventQueueLayout,
  JOB_NAMES,
  openQueue,
  type PurgeJobSchema,
  QUEUES,
  type QueueName,
} from '@kyc/jobs';
import type { Sql } from '@kyc/db/plain';
import { allQueues, type ErasureQueues, type Purged } from '@kyc/erasure';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { JobDefinition } from '../jobs/definition.ts';
import { dispatcher } from '../jobs/dispatcher.ts';
import { eraseApplicantJob } from '../jobs/erase-applicant.ts';
import { purgeJob } from '../jobs/purge.ts';
import type { ErasureDeps } from './deps.ts';
import { createErasureMetrics } from './metrics.ts';

const SCHEDULER_ID = 'payload-retention';
const PURGE_EVERY_MS = 3_600_000;

export type ErasureRuntime = {
  worker: Worker;
  /** Queues the erasure Sumsub asked for; the event job does not wait for it. */
  requestErasure: (applicantId: string, actor: string) => Promise<void>;
  stop: () => Promise<void>;
};

/** Queue handles for every queue an applicant's jobs can be in. */
function openQueues(config: Config, connection: RedisClient): ErasureQueues & { close: () => Promise<void> } {
  const layout = eventQueueLayout(config);
  const open = (name: QueueName, prefix: string) => openQueue(name, { connection, prefix, config });
  const events = [...layout.current, ...layout.draining].map((q) => open(QUEUES.sumsubEvents, q.prefix));
  const notifications = open(QUEUES.notifications, config.QUEUE_PREFIX);
  const sumsubApi = apiAccounts(config).size > 0 ? open(QUEUES.sumsubApi, config.QUEUE_PREFIX) : undefined;
  const queues: ErasureQueues = { events, notifications, sumsubApi, redis: connection };
  return {
    ...queues,
    close: async () => {
      await Promise.all(allQueues(queues).map((q) => q.close()));
    },
  };
}

/** The erasure queue's worker: erasures Sumsub asked for, and the retention schedule. */
export function startErasure(config: Config, sql: Sql, connection: RedisClient, log: Logger, registry: Registry): ErasureRuntime {
  const queues = openQueues(config, connection);
  const queue = openQueue(QUEUES.erasure, { connection, prefix: config.QUEUE_PREFIX, config });
  const deps: ErasureDeps = { sql, queues, metrics: createErasureMetrics(registry) };
  const worker = new Worker(
    QUEUES.erasure,
    dispatcher([loggedErasure(log), loggedPurge(log)], () => deps),
    // One at a time: an erasure waits for running jobs, a purge is long; neither is urgent to the millisecond.
    { ...queueTelemetry(), connection, prefix: config.QUEUE_PREFIX, concurrency: 1, lockDuration: 120_000 },
  );
  worker.on('failed', (job, error) => log.error({ jobName: job?.name, attempt: job?.attemptsMade, err: error }, 'erasure job failed'));
  worker.on('error', () => undefined);

  const days = config.PAYLOAD_RETENTION_DAYS;
  const scheduled = days
    ? queue.upsertJobScheduler(
        SCHEDULER_ID,
        { every: PURGE_EVERY_MS },
        { name: JOB_NAMES.purge, data: { v: 1, retentionDays: days }, opts: purgeJob.options },
      )
    : queue.removeJobScheduler(SCHEDULER_ID);
  scheduled.catch((error: unknown) => log.error({ err: error }, 'could not set the retention schedule (PAYLOAD_RETENTION_DAYS)'));

  return {
    worker,
    requestErasure: async (applicantId, actor) => {
      const job = eraseJob(applicantId, actor);
      await queue.add(job.name, job.data, job.opts);
    },
    async stop() {
      await worker.close();
      await queue.close();
      await queues.close();
    },
  };
}

/** The erasure job as this worker runs it, with its log line (ids and counts only). */
const loggedErasure = (log: Logger) =>
  ({
    ...eraseApplicantJob,
    async handle(data, job, deps) {
      const erasure = await eraseApplicantJob.handle(data, job, deps);
      log.info(
        { jobName: job.name, actor: data.actor, applicantId: erasure.applicantId, events: erasure.events, jobs: erasure.jobs },
        'applicant erased',
      );
      return { events: erasure.events, jobs: erasure.jobs };
    },
  }) as const satisfies JobDefinition<typeof EraseJobSchema, { events: number; jobs: number }, ErasureDeps>;

/** The retention pass as this worker runs it, with its log line. */
const loggedPurge = (log: Logger) =>
  ({
    ...purgeJob,
    async handle(data, job, deps) {
      const purged = await purgeJob.handle(data, job, deps);
      log.info({ jobName: job.name, ...purged }, 'retention pass');
      return purged;
    },
  }) as const satisfies JobDefinition<typeof PurgeJobSchema, Purged, ErasureDeps>;
