import {
  type Config,
  clearSumsubUnauthorized,
  fetchDocumentsJob as fetchDocumentsJobOf,
  fetchDocumentsJobCheck,
  JOB_NAMES,
  markSumsubUnauthorized,
  QUEUES,
  reconcileJobCheck,
  reconcileStaleJobCheck,
  type RedisClient,
  type SumsubApiConfig,
  queueTelemetry,
} from '@kyc/contracts';
import type { Sql } from '@kyc/db/plain';
import { createSumsubClient, SumsubApiError } from '@kyc/sumsub-api';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ContractViolation } from '../errors.ts';
import { fetchDocumentsJob } from '../jobs/fetch-documents.ts';
import { reconcileApplicantJob } from '../jobs/reconcile-applicant.ts';
import { reconcileStaleJob } from '../jobs/reconcile-stale.ts';
import { everySecondPerKind } from '../throttle.ts';
import type { SumsubDeps } from './deps.ts';
import { createSumsubMetrics } from './metrics.ts';

/** 401/403 from Sumsub: the token, secret, permissions or IP allow-list is wrong. Retrying cannot help. */
export class SumsubNotAuthorized extends UnrecoverableError {
  constructor(message: string) {
    super(
      `Sumsub refused the credentials (check SUMSUB_APP_TOKEN, SUMSUB_SECRET_KEY, the token's permissions and allowed IPs): ${message}`,
    );
    this.name = 'SumsubNotAuthorized';
  }
}

const SCHEDULER_ID = 'reconcile-stale';
/** A 429 without Retry-After (Sumsub documents none): the whole queue waits this long. */
const RATE_LIMITED_WAIT_MS = 5_000;

type Entry = { check: { Check(data: unknown): boolean }; handle: (data: never, job: Job, deps: SumsubDeps) => Promise<object> };
const JOBS: Record<string, Entry> = {
  [fetchDocumentsJob.name]: { check: fetchDocumentsJobCheck, handle: (data, job, deps) => fetchDocumentsJob.handle(data, job, deps) },
  [reconcileApplicantJob.name]: { check: reconcileJobCheck, handle: (data, job, deps) => reconcileApplicantJob.handle(data, job, deps) },
  [reconcileStaleJob.name]: { check: reconcileStaleJobCheck, handle: (data, job, deps) => reconcileStaleJob.handle(data, job, deps) },
};

export type SumsubApiRuntime = {
  worker: Worker;
  queue: Queue;
  /** Queues the document fetch for a RED review event that was applied. */
  requestDocuments: (applicantId: string, eventId: string) => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * The `sumsub-api` queue's worker: every call to Sumsub's API runs as one of its
 * jobs, under one BullMQ rate limiter shared by every worker process.
 */
export function startSumsubApi(
  config: Config,
  api: SumsubApiConfig,
  sql: Sql,
  connection: RedisClient,
  log: Logger,
  registry: Registry,
): SumsubApiRuntime {
  const prefix = config.QUEUE_PREFIX;
  const queue = new Queue(QUEUES.sumsubApi, { ...queueTelemetry(), connection, prefix });
  queue.on('error', () => undefined);
  const deps: SumsubDeps = {
    client: createSumsubClient(api),
    sql,
    secretKey: api.secretKey,
    metrics: createSumsubMetrics(registry),
    enqueue: async (jobs) => {
      if (jobs.length > 0) await queue.addBulk(jobs as Parameters<Queue['addBulk']>[0]);
    },
  };
  // Said once, then at most every ten minutes per error code: a wrong token must not flood the log.
  const refused = everySecondPerKind(
    (kind, error: SumsubApiError, suppressed) =>
      log.error(
        {
          errorCode: error.body.errorCode,
          errorName: error.body.errorName,
          description: error.body.description,
          correlationId: error.body.correlationId,
          status: error.status,
          suppressed,
          kind,
        },
        "Sumsub's API refused the credentials: calls fail until the configuration is fixed",
      ),
    600_000,
  );

  const worker = new Worker(
    QUEUES.sumsubApi,
    async (job: Job) => {
      const entry = JOBS[job.name];
      if (!entry) throw new ContractViolation(`no handler for job name ${job.name}`);
      if (!entry.check.Check(job.data)) throw new ContractViolation(`job data does not match the ${job.name} schema`);
      try {
        const result = await entry.handle(job.data as never, job, deps);
        await clearSumsubUnauthorized(connection, prefix);
        log.info({ jobName: job.name, ...result, attempt: job.attemptsMade + 1 }, 'sumsub api job');
        return result;
      } catch (error) {
        if (!(error instanceof SumsubApiError)) throw error;
        if (error.kind === 'rate_limited') {
          // Not an attempt: the whole queue waits (Retry-After when Sumsub sends one), then this job runs again.
          await queue.rateLimit(error.retryAfterMs ?? RATE_LIMITED_WAIT_MS);
          throw Worker.RateLimitError();
        }
        if (error.kind === 'unauthorized') {
          await markSumsubUnauthorized(connection, prefix, error.message);
          refused(String(error.body.errorCode ?? error.status), error);
          throw new SumsubNotAuthorized(error.message);
        }
        if (error.kind !== 'unavailable') throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      ...queueTelemetry(),
      connection,
      prefix,
      concurrency: 4,
      limiter: api.limiter,
      lockDuration: Math.max(config.WORKER_LOCK_MS, 3 * api.timeoutMs),
    },
  );
  worker.on('failed', (job, error) => {
    if (job && error.name !== 'RateLimitError')
      log.warn({ jobName: job.name, jobId: job.id, attempt: job.attemptsMade, err: error }, 'sumsub api job failed');
  });
  worker.on('error', () => undefined); // the event worker's connection reports Redis errors

  // One scheduler for the deployment (every worker upserts the same one); removed when RECONCILE_INTERVAL is unset.
  const interval = config.reconcileIntervalMs;
  const scheduled = interval
    ? queue.upsertJobScheduler(
        SCHEDULER_ID,
        { every: interval },
        {
          name: JOB_NAMES.reconcileStale,
          data: { v: 1, staleAfterMs: interval },
          opts: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 },
        },
      )
    : queue.removeJobScheduler(SCHEDULER_ID);
  scheduled.catch((error: unknown) => log.error({ err: error }, 'could not set the reconciliation schedule (RECONCILE_INTERVAL)'));

  return {
    worker,
    queue,
    requestDocuments: async (applicantId, eventId) => {
      const job = fetchDocumentsJobOf(applicantId, eventId);
      await queue.add(job.name, job.data, job.opts);
    },
    async stop() {
      await worker.close();
      await queue.close();
    },
  };
}
