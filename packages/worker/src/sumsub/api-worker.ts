import { accountOf, type Config, DEFAULT_ACCOUNT, type RedisClient, type SumsubApiConfig, queueTelemetry } from '@kyc/runtime';
import { clearSumsubUnauthorized, markSumsubUnauthorized, createSumsubClient, SumsubApiError, type SumsubClient } from '@kyc/sumsub-api';
import { fetchDocumentsJob as fetchDocumentsJobOf, JOB_NAMES, openQueue, QUEUES } from '@kyc/jobs';
import { applicantAccount, type Sql } from '@kyc/db/plain';
import { type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type AnyJobDefinition, dispatcher } from '../jobs/dispatcher.ts';
import { fetchClarificationJob } from '../jobs/fetch-clarification.ts';
import { fetchDocumentsJob } from '../jobs/fetch-documents.ts';
import { reconcileApplicantJob } from '../jobs/reconcile-applicant.ts';
import { reconcileStaleJob } from '../jobs/reconcile-stale.ts';
import { unknownCodesReporter } from '../rejections.ts';
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

/** The default account's scheduler keeps the id it had before accounts existed. */
const schedulerId = (account: string) => (account === DEFAULT_ACCOUNT ? 'reconcile-stale' : `reconcile-stale-${account}`);
/** A 429 without Retry-After (Sumsub documents none): the whole queue waits this long. */
const RATE_LIMITED_WAIT_MS = 5_000;

/** The `sumsub-api` queue's jobs. */
const JOBS = [fetchDocumentsJob, fetchClarificationJob, reconcileApplicantJob, reconcileStaleJob] as const;

export type SumsubApiRuntime = {
  worker: Worker;
  queue: Queue;
  /** Queues the document fetch (then the clarification) for a RED review event that was applied, with its account's credentials. */
  requestDocuments: (applicantId: string, eventId: string, account: string) => Promise<void>;
  stop: () => Promise<void>;
};

/** One account's way to Sumsub. */
type AccountClient = { client: SumsubClient; secretKey: string };

/**
 * The account a job acts for: an applicant's owner (the database decides, not the
 * job, so a job cannot borrow another account's credentials), else what the job
 * says, else the default account. The periodic run is its account's.
 */
async function jobAccount(sql: Sql, data: { applicantId?: string; account?: string | undefined }): Promise<string> {
  const owner = data.applicantId === undefined ? undefined : await applicantAccount(sql, data.applicantId);
  return owner ?? accountOf(data.account);
}

/**
 * The `sumsub-api` queue's worker: every call to Sumsub's API runs as one of its
 * jobs, under one BullMQ rate limiter shared by every worker process and every
 * account (SUMSUB_API_RATE holds for all accounts together). Each job calls Sumsub
 * with the credentials of its applicant's account.
 */
export function startSumsubApi(
  config: Config,
  apis: ReadonlyMap<string, SumsubApiConfig>,
  sql: Sql,
  connection: RedisClient,
  log: Logger,
  registry: Registry,
): SumsubApiRuntime {
  const prefix = config.QUEUE_PREFIX;
  const queue = openQueue(QUEUES.sumsubApi, { connection, prefix, config });
  const clients = new Map<string, AccountClient>(
    [...apis].map(([name, api]) => [name, { client: createSumsubClient(api), secretKey: api.secretKey }]),
  );
  const shared = {
    sql,
    metrics: createSumsubMetrics(registry),
    reportUnknown: unknownCodesReporter(registry, log),
    enqueue: async (jobs: readonly { name: string; data: object; opts: object }[]) => {
      if (jobs.length > 0) await queue.addBulk(jobs as Parameters<Queue['addBulk']>[0]);
    },
  };
  // Called with data the job's schema accepted: each has an account, an applicant id, or both.
  const depsFor = async (data: unknown): Promise<SumsubDeps> => {
    const account = await jobAccount(sql, data as { applicantId?: string; account?: string });
    const credentials = clients.get(account);
    if (!credentials)
      throw new UnrecoverableError(`the Sumsub account ${account} has no API credentials (SUMSUB_ACCOUNT_<NAME>_APP_TOKEN)`);
    return { ...shared, account, ...credentials };
  };
  // Every account shares SUMSUB_API_RATE and SUMSUB_API_TIMEOUT_MS: any one's limiter and timeout are all's.
  const { limiter, timeoutMs } = [...apis.values()][0] as SumsubApiConfig;
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

  /**
   * Around each job's handler: a 429 makes the whole queue wait (not an attempt),
   * a 401/403 marks the credentials refused and fails at once, any other refusal
   * but unavailability fails at once; a call that got through clears the refusal.
   */
  const withSumsubErrors = (definition: AnyJobDefinition<SumsubDeps>): AnyJobDefinition<SumsubDeps> => ({
    ...definition,
    async handle(data, job, deps) {
      try {
        const result = await definition.handle(data, job, deps);
        await clearSumsubUnauthorized(connection, prefix);
        log.info({ jobName: job.name, account: deps.account, ...(result as object), attempt: job.attemptsMade + 1 }, 'sumsub api job');
        return result;
      } catch (error) {
        if (!(error instanceof SumsubApiError)) throw error;
        if (error.kind === 'rate_limited') {
          // Not an attempt: the whole queue waits (Retry-After when Sumsub sends one), then this job runs again.
          await queue.rateLimit(error.retryAfterMs ?? RATE_LIMITED_WAIT_MS);
          throw Worker.RateLimitError();
        }
        if (error.kind === 'unauthorized') {
          await markSumsubUnauthorized(connection, prefix, `account ${deps.account}: ${error.message}`);
          refused(String(error.body.errorCode ?? error.status), error);
          throw new SumsubNotAuthorized(error.message);
        }
        if (error.kind !== 'unavailable') throw new UnrecoverableError(error.message);
        throw error;
      }
    },
  });

  const worker = new Worker(
    QUEUES.sumsubApi,
    dispatcher(
      JOBS.map((definition) => withSumsubErrors(definition)),
      depsFor,
    ),
    {
      ...queueTelemetry(),
      connection,
      prefix,
      concurrency: 4,
      limiter,
      lockDuration: Math.max(config.WORKER_LOCK_MS, 3 * timeoutMs),
    },
  );
  worker.on('failed', (job, error) => {
    if (job && error.name !== 'RateLimitError')
      log.warn({ jobName: job.name, jobId: job.id, attempt: job.attemptsMade, err: error }, 'sumsub api job failed');
  });
  worker.on('error', () => undefined); // the event worker's connection reports Redis errors

  scheduleReconciliation(queue, config, apis, log);

  return {
    worker,
    queue,
    requestDocuments: async (applicantId, eventId, account) => {
      const job = fetchDocumentsJobOf(applicantId, eventId, '', account);
      await queue.add(job.name, job.data, job.opts);
    },
    async stop() {
      await worker.close();
      await queue.close();
    },
  };
}

/**
 * One reconciliation scheduler per account with API credentials (every worker
 * upserts the same ones); an account's is removed when RECONCILE_INTERVAL is unset.
 * Schedulers of accounts no longer configured are left to expire with their runs'
 * jobs failing: the worker cannot know every name ever configured.
 */
function scheduleReconciliation(queue: Queue, config: Config, apis: ReadonlyMap<string, SumsubApiConfig>, log: Logger): void {
  const interval = config.reconcileIntervalMs;
  for (const account of apis.keys()) {
    const scheduled = interval
      ? queue.upsertJobScheduler(
          schedulerId(account),
          { every: interval },
          {
            name: JOB_NAMES.reconcileStale,
            data: { v: 1, staleAfterMs: interval, ...(account === DEFAULT_ACCOUNT ? {} : { account }) },
            opts: reconcileStaleJob.options,
          },
        )
      : queue.removeJobScheduler(schedulerId(account));
    scheduled.catch((error: unknown) =>
      log.error({ err: error, account }, 'could not set the reconciliation schedule (RECONCILE_INTERVAL)'),
    );
  }
}
