import { setTimeout as sleep } from 'node:timers/promises';
import { type Config, type RedisClient, applicantAttribute, type OwnSpan, queueTelemetry, tracing } from '@kyc/runtime';
import { type DeliveryHead, deliveryJobId, deliveryJobs, type DeliveryJobSchema, notifyPolicy, openQueue, QUEUES } from '@kyc/jobs';
import { pendingHeads, relayNotifications, type Sql } from '@kyc/db/plain';
import { DelayedError, type Job, type Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DATABASE_KINDS, DeliveryGivenUp, errorKind } from '../errors.ts';
import { type DeliverDeps, deliverNotificationJob, type DeliveryOutcome } from '../jobs/deliver-notification.ts';
import type { JobDefinition } from '../jobs/definition.ts';
import { type Dispatch, dispatcher } from '../jobs/dispatcher.ts';
import { everySecondPerKind } from '../throttle.ts';
import { createNotifyMetrics } from './metrics.ts';

/** Outbox rows per relay pass; a backlog drains at this many per NOTIFY_RELAY_INTERVAL_MS. */
const RELAY_BATCH = 500;
/** How often every pending head is queued again (after a crash between commit and queuing, or a lost queue). */
const SWEEP_INTERVAL_MS = 30_000;
const SWEEP_BATCH = 5_000;

export type Notifier = { worker: Worker; queue: Queue; stop: () => Promise<void> };

/**
 * The notification side of a worker process: the relay from the PostgreSQL
 * outbox to the `notifications` queue, its sweep, and a BullMQ worker that sends
 * one delivery per job. Every worker process runs all three; the relay is
 * single-flight across them (an advisory lock), the queue spreads the sending.
 */
export function startNotifier(config: Config, sql: Sql, connection: RedisClient, log: Logger, registry: Registry): Notifier {
  const metrics = createNotifyMetrics(registry);
  const policy = notifyPolicy(config);
  // Its errors: the event worker's connection reports Redis errors.
  const queue = openQueue(QUEUES.notifications, { connection, prefix: config.QUEUE_PREFIX, config });
  const enqueue = async (heads: readonly DeliveryHead[]) => {
    if (heads.length === 0) return;
    const spans = heads.map(relaySpan);
    try {
      await queue.addBulk(
        deliveryJobs(
          heads,
          spans.map((span) => span?.jobMetadata),
        ),
      );
    } finally {
      for (const span of spans) span?.end();
    }
  };
  const handOver = async (heads: readonly DeliveryHead[]) => {
    await enqueue(heads);
    for (const head of heads) {
      // A head that ran while an older version was pending waits in the delayed set: run it now.
      const job = await queue.getJob(deliveryJobId(head));
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
    }
  };
  const deps: DeliverDeps = {
    sql,
    policy,
    send: { timeoutMs: config.NOTIFY_TIMEOUT_MS, allowPrivate: config.NOTIFY_ALLOW_PRIVATE === '1' },
    metrics,
    handOver,
  };
  const dispatch = dispatcher([loggedDelivery(log)], () => deps);
  const worker = new Worker(QUEUES.notifications, (job: Job, token?: string) => deliver(dispatch, job, token, deps), {
    ...queueTelemetry(),
    connection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.NOTIFY_CONCURRENCY,
    lockDuration: Math.max(config.WORKER_LOCK_MS, 2 * config.NOTIFY_TIMEOUT_MS),
    stalledInterval: Math.max(config.WORKER_LOCK_MS, 2 * config.NOTIFY_TIMEOUT_MS),
    maxStalledCount: 10,
  });
  const warn = everySecondPerKind((kind, error: Error, suppressed) =>
    log.warn({ kind, err: error, suppressed }, 'notification relay failed; retrying'),
  );
  worker.on('failed', (job, error) => {
    if (job && !(error instanceof DelayedError))
      log.warn({ jobId: job.id, attempt: job.attemptsMade, err: error }, 'notification attempt failed');
  });
  worker.on('error', (error) => warn(`worker:${error.name}`, error));

  const stopping = new AbortController();
  const relay = (async () => {
    let lastSweep = 0;
    while (!stopping.signal.aborted) {
      try {
        const heads = await relayNotifications(sql, RELAY_BATCH);
        await enqueue(heads);
        metrics.relayed.inc({ by: 'relay' }, heads.length);
        if (Date.now() - lastSweep >= SWEEP_INTERVAL_MS) {
          const lost = await pendingHeads(sql, SWEEP_BATCH);
          await enqueue(lost);
          metrics.relayed.inc({ by: 'sweep' }, lost.length);
          lastSweep = Date.now();
        }
      } catch (error) {
        warn((error as Error).name, error as Error);
      }
      await sleep(config.NOTIFY_RELAY_INTERVAL_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    worker,
    queue,
    async stop() {
      stopping.abort();
      await relay;
      await worker.close();
      await queue.close();
    },
  };
}

/**
 * With tracing on, a head whose event was traced is queued in a span of that
 * event's trace (stored with its outbox row), so its delivery continues it.
 */
function relaySpan(head: DeliveryHead): OwnSpan | undefined {
  if (!head.traceContext) return undefined;
  return tracing()?.startSpan(
    'relay notifications',
    'producer',
    { 'kyc.delivery_id': head.deliveryId, 'messaging.destination.name': 'notifications' },
    head.traceContext,
  );
}

/** The delivery job as the worker runs it: traced, and logged in one line; its outcome is the job's return value. */
function loggedDelivery(log: Logger) {
  return {
    ...deliverNotificationJob,
    async handle(data, job, deps, token) {
      const traced = tracing();
      traced?.annotate({ 'kyc.delivery_id': data.deliveryId, 'kyc.attempt': job.attemptsMade + 1 });
      const result = await deliverNotificationJob.handle(data, job, deps, token);
      traced?.annotate({
        'kyc.outcome': result.outcome,
        ...(result.endpointId ? { 'kyc.endpoint_id': result.endpointId } : {}),
        ...applicantAttribute(result.applicantId),
      });
      log.info({ ...result, attempt: job.attemptsMade + 1 }, 'notification');
      return result.outcome;
    },
  } as const satisfies JobDefinition<typeof DeliveryJobSchema, DeliveryOutcome, DeliverDeps>;
}

/** Around the dispatcher: a database failure on the last attempt waits instead of giving up unrecorded. */
async function deliver(dispatch: Dispatch, job: Job, token: string | undefined, deps: DeliverDeps) {
  try {
    return await dispatch(job, token);
  } catch (error) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (last && !(error instanceof DeliveryGivenUp) && DATABASE_KINDS.has(errorKind(error))) {
      // The give-up must be recorded (and the next version handed over) before the job may end.
      await job.moveToDelayed(Date.now() + deps.policy.backoffMs, token);
      throw new DelayedError();
    }
    throw error;
  }
}
