import { type Config, type EventJob, eventJobCheck, QUEUES } from '@kyc/contracts';
import { type Db, recordFailure } from '@kyc/db';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { errorKind } from './errors.ts';
import { createWorkerMetrics } from './metrics.ts';
import { type AppliedJob, applyEventProcessor, parseJobEvent } from './processors/apply-event.ts';
import { registerProcessor } from './processors/contracts.ts';
import { createProcessorRegistry } from './processors/registry.ts';

export type WorkerRuntime = { worker: Worker; stop: () => Promise<void> };

const isPermanent = (error: Error) => error.name === 'UnrecoverableError' || error.name === 'ContractViolation';

/** Identifying fields for a job's log line; never the body (it may hold clientComment). */
function describe(job: Job): Record<string, unknown> {
  const data = job.data as Partial<EventJob>;
  try {
    const event = parseJobEvent(data.rawBody ?? '', data.eventId ?? '');
    return { eventId: event.eventId, type: event.payload.type, applicantId: event.payload.applicantId };
  } catch {
    return { eventId: data.eventId ?? job.id };
  }
}

/** Marks the event `failed` in PostgreSQL once BullMQ has given up on it (a dead letter). */
async function recordDeadLetter(db: Db, job: Job, error: Error, log: Logger): Promise<void> {
  if (!eventJobCheck.Check(job.data)) return;
  const data = job.data;
  try {
    const event = parseJobEvent(data.rawBody, data.eventId);
    await recordFailure(db, {
      event,
      receivedAt: new Date(data.receivedAt),
      attempts: job.attemptsMade,
      error: `${error.name}: ${error.message}`,
    });
  } catch (cause) {
    log.error(
      { eventId: data.eventId, err: (cause as Error).message },
      'could not record dead letter in the database; it stays in the failed set',
    );
  }
}

/**
 * One BullMQ worker (WORKER_CONCURRENCY jobs at once) on its own blocking
 * connection. stop() lets active jobs finish before closing, so a deploy
 * neither loses nor repeats an effect.
 */
export function startWorker(config: Config, db: Db, log: Logger, registry: Registry): WorkerRuntime {
  const metrics = createWorkerMetrics(registry);
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined); // BullMQ reconnects; errors surface through the worker below
  const dispatch = createProcessorRegistry([registerProcessor(applyEventProcessor(db))]);
  const worker = new Worker(
    QUEUES.sumsubEvents,
    async (job: Job) => {
      const started = performance.now();
      const { outcome, ...ids } = (await dispatch(job)) as AppliedJob;
      const seconds = (performance.now() - started) / 1000;
      metrics.jobs.inc({ outcome });
      metrics.duration.observe({ outcome }, seconds);
      metrics.attempts.observe(job.attemptsMade + 1);
      if (outcome === 'duplicate') metrics.duplicates.inc();
      if (outcome === 'stale') metrics.stale.inc();
      log.info({ ...ids, outcome, attempt: job.attemptsMade + 1, durationMs: Math.round(seconds * 1000) }, 'job');
      return outcome;
    },
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      // A killed worker's job is picked up again once its lock lapses; the
      // database makes the second run a no-op if the first one committed.
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
      maxStalledCount: 10,
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = isPermanent(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
    const kind = errorKind(error);
    const line = { ...describe(job), attempt: job.attemptsMade, kind, err: error.message };
    if (kind.startsWith('database') || ['deadlock', 'serialization_failure', 'too_many_connections'].includes(kind))
      metrics.database.inc({ component: 'worker', kind });
    if (!final) {
      metrics.jobs.inc({ outcome: 'retry' });
      metrics.retries.inc({ kind });
      log.warn(line, 'job failed; will retry');
      return;
    }
    log.error(line, 'job dead-lettered');
    metrics.jobs.inc({ outcome: 'dead_letter' });
    metrics.deadLetters.inc({ kind });
    metrics.attempts.observe(job.attemptsMade);
    void recordDeadLetter(db, job, error, log);
  });
  worker.on('error', (error) => {
    metrics.redis.inc({ component: 'worker' });
    log.error({ err: error.message }, 'worker error');
  });
  return {
    worker,
    async stop() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
