import {
  apiAccounts,
  type Config,
  createRedis,
  type ReadinessCheck,
  readinessCheck,
  redisCheck,
  registerReadinessGauge,
  sumsubAccounts,
  queueTelemetry,
  applicantAttribute,
  tracing,
} from '@kyc/runtime';
import { type EventJob, eventJobCheck, type EventJobSchema, eventJobSummary, oneLineCause, eventQueueLayout, QUEUES } from '@kyc/jobs';
import { sumsubApiState } from '@kyc/sumsub-api';
import { type ApplyOutcome, databaseChecks, recordFailure, recordVerificationFailure, type Sql } from '@kyc/db/plain';
import { type Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ContractViolation, DATABASE_KINDS, errorKind, VerificationFailed } from './errors.ts';
import {
  type AccountKeys,
  type AppliedJob,
  type ApplyEventDeps,
  applyEventJob,
  ledgerEvent,
  parseJobEvent,
  verifyJob,
} from './jobs/apply-event.ts';
import type { JobDefinition } from './jobs/definition.ts';
import { dispatcher } from './jobs/dispatcher.ts';
import { createWorkerMetrics, type WorkerMetrics } from './metrics.ts';
import { createApplyBatcher } from './apply-batcher.ts';
import { type Notifier, startNotifier } from './notify/notifier.ts';
import { type SumsubApiRuntime, startSumsubApi } from './sumsub/api-worker.ts';
import { startErasure } from './erasure/erasure-worker.ts';
import { unknownCodesReporter } from './rejections.ts';
import { everySecondPerKind } from './throttle.ts';

/**
 * Events per statement and statements in flight. Measured on 2 cores
 * (docs/benchmarks.md): with 256 jobs active, batches of up to 128 and 2
 * statements in flight drained a pre-filled queue fastest (64 and 4 within noise).
 */
export const APPLY_BATCH_MAX = 128;
export const APPLY_IN_FLIGHT = 2;

/** Database connections for everything but the apply statement: the notifier, the Sumsub API and erasure jobs. */
export const WORKER_OTHER_CONNECTIONS = 8;

/** Database connections a worker needs on one pool (the batches in flight and the rest). */
export const WORKER_POOL_SIZE = APPLY_IN_FLIGHT + WORKER_OTHER_CONNECTIONS;

export type WorkerRuntime = { workers: readonly Worker[]; notifier: Notifier; readiness: ReadinessCheck; stop: () => Promise<void> };

/** Identifying fields for a job's log line; never the body (it may hold clientComment). */
function describe(job: Pick<Job, 'id' | 'name' | 'data'>): Record<string, unknown> {
  const data = job.data as Partial<EventJob>;
  return { eventId: data.eventId ?? job.id, jobName: job.name, account: data.account ?? 'default' };
}

/** Each account's keys: webhook secrets current and retired, and the API secret key that signs reconciled events. */
function accountKeys(config: Config): Map<string, AccountKeys> {
  return new Map(
    [...sumsubAccounts(config).values()].map((a) => [
      a.name,
      { secrets: [...a.webhookSecrets, ...a.retiredWebhookSecrets], reconcileKey: a.api?.secretKey },
    ]),
  );
}

/**
 * A failed attempt's log line: which event (id, type, applicant), its attempts
 * and the cause in one line, and the error's type, code and stack. Not the
 * error's other fields: a PostgreSQL error carries the statement's text (kB of SQL).
 */
export function failureLine(
  job: Pick<Job, 'id' | 'name' | 'data' | 'attemptsMade' | 'opts'>,
  error: Error,
  kind: string,
): Record<string, unknown> {
  const { type, applicantId } = eventJobSummary(job.data);
  const code = (error as { code?: unknown }).code;
  return {
    ...describe(job),
    type,
    applicantId,
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    kind,
    cause: oneLineCause(error.message),
    err: { type: error.name, ...(typeof code === 'string' ? { code } : {}), stack: error.stack?.split('\n').slice(1).join('\n') },
  };
}

type FailureContext = ApplyEventDeps & { log: Logger; metrics: WorkerMetrics };

/**
 * Marks the event `failed` in PostgreSQL once BullMQ has given up on it (a dead
 * letter), so replay from the database can find it. Only a verified body is
 * stored: a forged job leaves nothing but its failed job and a metric. A body
 * that fails verification is marked only when it is the event's stored body (a
 * replay after its secret was removed): the database and the failed set agree.
 */
async function recordDeadLetter(job: Job, error: Error, context: FailureContext): Promise<void> {
  if (!eventJobCheck.Check(job.data)) return;
  const data = job.data;
  const reason = `${error.name}: ${error.message}`;
  try {
    if (error instanceof VerificationFailed) {
      await recordVerificationFailure(context.sql, { ...data, attempts: job.attemptsMade }, reason);
      return;
    }
    verifyJob(data, context);
    const parsed = parseJobEvent(data, context.maxClockSkewMs);
    const stored = await recordFailure(context.sql, ledgerEvent(parsed, data, job.attemptsMade), reason);
    // Its applicant was erased: the dead letter must not keep the body either.
    if (!stored) await job.remove();
  } catch (cause) {
    context.log.error(
      { ...describe(job), cause: oneLineCause(cause instanceof Error ? cause.message : String(cause)) },
      'could not record the dead letter in the database; it stays in the failed set',
    );
  }
}

/** What a failed attempt means: a retry to come, or a dead letter. Logs and counts it. */
function onFailed(job: Job | undefined, error: Error, context: FailureContext): void {
  if (!job) return;
  const permanent = error instanceof ContractViolation || error instanceof VerificationFailed;
  const final = permanent || job.attemptsMade >= (job.opts.attempts ?? 1);
  const kind = errorKind(error);
  const { metrics, log } = context;
  const line = failureLine(job, error, kind);
  if (DATABASE_KINDS.has(kind)) metrics.database.inc({ component: 'worker', kind });
  if (error instanceof VerificationFailed) metrics.verificationFailures.inc();
  // A configured name only: a label taken from unverified job data must not grow without bound.
  const named = String((job.data as Partial<EventJob>).account ?? 'default');
  const account = context.keys.has(named) ? named : '(unknown)';
  if (!final) {
    metrics.jobs.inc({ outcome: 'retry', account });
    metrics.retries.inc({ kind });
    log.warn(line, 'job failed; will retry');
    return;
  }
  log.error(line, 'job dead-lettered');
  metrics.jobs.inc({ outcome: 'dead_letter', account });
  metrics.deadLetters.inc({ kind });
  metrics.attempts.observe(job.attemptsMade);
  void recordDeadLetter(job, error, context);
}

/** Records a finished job in the metrics and its one log line. */
function onApplied(job: Job, result: AppliedJob, seconds: number, metrics: WorkerMetrics, log: Logger): void {
  const { outcome, ...ids } = result;
  metrics.jobs.inc({ outcome, account: ids.account });
  metrics.duration.observe({ outcome, account: ids.account }, seconds);
  metrics.attempts.observe(job.attemptsMade + 1);
  if (outcome === 'duplicate') metrics.duplicates.inc();
  if (outcome === 'stale') metrics.stale.inc();
  if (outcome === 'erased') metrics.erasedDeliveries.inc();
  if (outcome === 'wrong_account') metrics.wrongAccount.inc({ account: ids.account });
  log.info({ ...ids, outcome, attempt: job.attemptsMade + 1, durationMs: Math.round(seconds * 1000) }, 'job');
}

/**
 * One BullMQ worker (WORKER_CONCURRENCY jobs at once) on its own blocking
 * connection. stop() lets active jobs finish before closing, so a deploy
 * neither loses nor repeats an effect.
 *
 * `sql` carries everything but the apply statement; `applySql` carries that: on
 * PostgreSQL two plain pg pools (on-postgres.ts), the second of APPLY_IN_FLIGHT
 * connections; left out, the statement goes through `sql` (the embedded
 * database, through its Prisma client).
 */
export function startWorker(config: Config, sql: Sql, log: Logger, registry: Registry, applySql?: Sql): WorkerRuntime {
  const metrics = createWorkerMetrics(registry);
  const connection = createRedis(config, 'worker');
  const apis = apiAccounts(config);
  const sumsub: SumsubApiRuntime | undefined = apis.size > 0 ? startSumsubApi(config, apis, sql, connection, log, registry) : undefined;
  const erasure = startErasure(config, sql, connection, log, registry);
  const batcher = createApplyBatcher(applySql ?? sql, {
    maxBatch: APPLY_BATCH_MAX,
    maxInFlight: APPLY_IN_FLIGHT,
    onBatch: (size) => metrics.batchSize.observe(size),
  });
  const deps: ApplyEventDeps = {
    sql,
    apply: (event) => batcher.apply(event),
    keys: accountKeys(config),
    maxClockSkewMs: config.MAX_CLOCK_SKEW_MS,
    requestDocuments: sumsub?.requestDocuments,
    reportUnknown: unknownCodesReporter(registry, log),
    requestErasure: config.ERASE_ON_SUMSUB_DELETION === '1' ? erasure.requestErasure : undefined,
  };
  const redisError = everySecondPerKind((kind, error: Error, suppressed) =>
    log.error({ kind, err: error, suppressed }, 'worker Redis error (BullMQ reconnects with backoff)'),
  );
  connection.on('error', (error: Error) => {
    metrics.redis.inc({ component: 'worker' });
    redisError(error.name, error);
  });
  // The event job, as this worker runs it: traced, timed, counted and logged; its outcome is the job's return value.
  const applyEvent = (shard: string) =>
    ({
      ...applyEventJob,
      async handle(data, job, runWith) {
        const traced = tracing();
        traced?.annotate({ 'kyc.event_id': data.eventId, 'kyc.shard': shard, 'kyc.attempt': job.attemptsMade + 1 });
        const started = performance.now();
        const result = await applyEventJob.handle(data, job, runWith);
        traced?.annotate({ 'kyc.event_type': result.type, 'kyc.outcome': result.outcome, ...applicantAttribute(result.applicantId) });
        onApplied(job, result, (performance.now() - started) / 1000, metrics, log);
        return result.outcome;
      },
    }) as const satisfies JobDefinition<typeof EventJobSchema, ApplyOutcome, ApplyEventDeps>;
  const processor = (shard: string) => dispatcher([applyEvent(shard)], () => deps);
  // Every shard, and the previous layout's shards while the shard count changes.
  const layout = eventQueueLayout(config);
  const workers = [...layout.current, ...layout.draining].map(
    ({ prefix, shard }) =>
      new Worker(QUEUES.sumsubEvents, processor(shard), {
        ...queueTelemetry(),
        connection,
        prefix,
        concurrency: config.WORKER_CONCURRENCY,
        // A killed worker's job is picked up again once its lock lapses; the
        // database makes the second run a no-op if the first one committed.
        lockDuration: config.WORKER_LOCK_MS,
        stalledInterval: config.WORKER_LOCK_MS,
        maxStalledCount: 10,
      }),
  );
  const notifier = startNotifier(config, sql, connection, log, registry);
  const context: FailureContext = { ...deps, log, metrics };
  for (const worker of workers) {
    worker.on('failed', (job, error) => onFailed(job, error, context));
    // A delivery for an erased applicant is acknowledged and counted, and its body leaves Redis too.
    worker.on('completed', (job, outcome) => {
      if (outcome === 'erased') void job.remove().catch(() => undefined);
    });
    worker.on('error', (error) => redisError(`worker:${error.name}`, error));
  }
  const readiness = readinessCheck(
    {
      redis: redisCheck(
        connection,
        [...layout.current, ...layout.draining].map(({ prefix }) => `${prefix}:${QUEUES.sumsubEvents}:meta`),
      ),
      ...databaseChecks(sql),
      consuming: async () =>
        [...workers, notifier.worker, erasure.worker, ...(sumsub ? [sumsub.worker] : [])].every((w) => w.isRunning())
          ? 'ok'
          : { pending: ['a queue is not consumed'] },
    },
    log,
    undefined,
    { sumsubApi: () => sumsubApiState(connection, config.QUEUE_PREFIX, apis.size > 0) },
  );
  registerReadinessGauge(registry, 'worker', readiness);
  return {
    workers,
    notifier,
    readiness,
    async stop() {
      await notifier.stop();
      await sumsub?.stop();
      await erasure.stop();
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
