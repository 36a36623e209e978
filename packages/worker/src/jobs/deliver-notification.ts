import { type DeliveryHead, type DeliveryJob, DeliveryJobSchema, JOB_NAMES, type NotifyPolicy } from '@kyc/jobs';
import { standardWebhookHeaders } from '../notify/standard-webhooks.ts';
import { disableEndpoint, type DeliveryToSend, finishDelivery, loadDelivery, recordAttempt, type Sql } from '@kyc/db/plain';
import { DelayedError, type Job } from 'bullmq';
import { ContractViolation, DeliveryFailed, DeliveryGivenUp } from '../errors.ts';
import { messageBody } from '../notify/message.ts';
import type { NotifyMetrics } from '../notify/metrics.ts';
import { postMessage, type SendOptions } from '../notify/send.ts';
import type { JobDefinition } from './definition.ts';

export type DeliverDeps = {
  sql: Sql;
  policy: NotifyPolicy;
  send: SendOptions;
  metrics: NotifyMetrics;
  /** Queues the next head after a delivery ended (and runs it now if it was deferred). */
  handOver: (heads: readonly DeliveryHead[]) => Promise<void>;
};

export type DeliveryOutcome = 'delivered' | 'disabled' | 'skipped';
export type DeliveredJob = { outcome: DeliveryOutcome; deliveryId: string; endpointId?: string; applicantId?: string; version?: number };

/** Not its pair's head (an older version was replayed meanwhile): wait in the delayed set, without spending an attempt. */
async function defer(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

/** A delivery that ended before this run (by this job before its process died, or cancelled): hand over again. */
async function alreadyEnded(delivery: DeliveryToSend, deps: DeliverDeps): Promise<DeliveredJob> {
  if (delivery.status === 'delivered' || delivery.status === 'failed') {
    await deps.handOver(await finishDelivery(deps.sql, delivery.id, delivery.status, delivery.attempts, null, null));
  }
  return { outcome: 'skipped', deliveryId: delivery.id };
}

async function attempt(delivery: DeliveryToSend & { data: Record<string, unknown> }, job: Job, deps: DeliverDeps): Promise<DeliveredJob> {
  const ids = { deliveryId: delivery.id, endpointId: delivery.endpointId, applicantId: delivery.applicantId, version: delivery.version };
  const endpoint = delivery.endpointId;
  const body = messageBody(delivery);
  const headers = standardWebhookHeaders(delivery.secrets, delivery.messageId, Math.floor(Date.now() / 1000), body);
  const result = await postMessage(delivery.url, headers, body, deps.send);
  deps.metrics.latency.observe({ endpoint }, result.seconds);
  const attempts = job.attemptsMade + 1;
  if (result.ok) {
    await deps.handOver(await finishDelivery(deps.sql, delivery.id, 'delivered', attempts, result.status, null));
    deps.metrics.attempts.inc({ endpoint, outcome: 'delivered' });
    deps.metrics.lag.observe({ endpoint }, (Date.now() - delivery.notifiedAt.getTime()) / 1000);
    return { outcome: 'delivered', ...ids };
  }
  if (result.status === 410) {
    // Standard Webhooks: 410 Gone means the receiver wants no more messages.
    await disableEndpoint(deps.sql, endpoint, 'the receiver answered 410 Gone', false);
    deps.metrics.attempts.inc({ endpoint, outcome: 'disabled' });
    return { outcome: 'disabled', ...ids };
  }
  const error = result.error ?? 'not delivered';
  if (attempts >= (job.opts.attempts ?? 1)) {
    await deps.handOver(await finishDelivery(deps.sql, delivery.id, 'failed', attempts, result.status, error));
    deps.metrics.attempts.inc({ endpoint, outcome: 'given_up' });
    throw new DeliveryGivenUp(error);
  }
  await recordAttempt(deps.sql, delivery.id, attempts, result.status, error);
  deps.metrics.attempts.inc({ endpoint, outcome: 'failed' });
  throw new DeliveryFailed(error);
}

/** One notification to one endpoint, signed per Standard Webhooks, in order per applicant. */
export const deliverNotificationJob = {
  name: JOB_NAMES.deliverNotification,
  schema: DeliveryJobSchema,
  async handle(data: DeliveryJob, job: Job, deps: DeliverDeps, token?: string): Promise<DeliveredJob> {
    const delivery = await loadDelivery(deps.sql, data.deliveryId);
    if (!delivery) throw new ContractViolation(`no delivery ${data.deliveryId}`);
    // A replay made a newer generation (its own job): this one is spent.
    if (delivery.generation !== data.generation) return { outcome: 'skipped', deliveryId: delivery.id };
    if (delivery.status !== 'pending') return alreadyEnded(delivery, deps);
    if (!delivery.isHead) return defer(job, token, deps.policy.backoffMs);
    const { data: message } = delivery;
    if (message === null || delivery.secrets.length === 0) {
      // Erased applicant, or a removed endpoint: nothing may be sent.
      await deps.handOver(await finishDelivery(deps.sql, delivery.id, 'failed', delivery.attempts, null, 'nothing to send'));
      return { outcome: 'skipped', deliveryId: delivery.id };
    }
    return attempt({ ...delivery, data: message }, job, deps);
  },
} as const satisfies JobDefinition<typeof DeliveryJobSchema, DeliveredJob, DeliverDeps>;
