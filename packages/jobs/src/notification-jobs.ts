import { type Static, Type } from '@sinclair/typebox';
import { JOB_NAMES } from './queues.ts';

/**
 * One delivery of one notification to one endpoint. The job carries ids only:
 * the message (personal data) stays in PostgreSQL and is read when sent.
 * `generation` grows when a given-up delivery is replayed, so the re-send is a
 * new job while BullMQ still keeps the failed one.
 */
export const DeliveryJobSchema = Type.Object(
  {
    v: Type.Literal(1),
    deliveryId: Type.String({ pattern: '^[1-9][0-9]{0,18}$' }),
    generation: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type DeliveryJob = Static<typeof DeliveryJobSchema>;

/**
 * A delivery the queue should run next: the lowest pending version of its endpoint
 * and applicant; with the trace context of the event that caused it (tracing on).
 */
export type DeliveryHead = { deliveryId: string; generation: number; traceContext?: string };

export type NotifyPolicy = { attempts: number; backoffMs: number };

export function notifyPolicy(config: { NOTIFY_ATTEMPTS: number; NOTIFY_BACKOFF_MS: number }): NotifyPolicy {
  return { attempts: config.NOTIFY_ATTEMPTS, backoffMs: config.NOTIFY_BACKOFF_MS };
}

export const deliveryJobId = (head: DeliveryHead) => `dlv-${head.deliveryId}-${head.generation}`;

/**
 * The jobs for `heads`, for Queue.addBulk; an existing job id makes its add a no-op, so kicking twice is harmless.
 * `telemetry[i]`, when given, is BullMQ telemetry metadata for head i's job (the trace it continues).
 * Attempts, backoff and retention are the queue's (openQueue: NOTIFY_ATTEMPTS, NOTIFY_BACKOFF_MS).
 */
export function deliveryJobs(heads: readonly DeliveryHead[], telemetry: readonly (string | undefined)[] = []) {
  return heads.map((head, i) => ({
    name: JOB_NAMES.deliverNotification,
    data: { v: 1, deliveryId: head.deliveryId, generation: head.generation } satisfies DeliveryJob,
    opts: { jobId: deliveryJobId(head), ...(telemetry[i] ? { telemetry: { metadata: telemetry[i] } } : {}) },
  }));
}
