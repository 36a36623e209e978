import type { DeliveryToSend } from '@kyc/db/plain';

export const NOTIFICATION_TYPE = 'applicant.decision.changed';

/**
 * The body of a notification, the same on every attempt: Standard Webhooks'
 * {type, timestamp, data}. `timestamp` is when the change was recorded. The
 * review's clientComment (Sumsub: for admin personnel only) is dropped unless
 * the endpoint opted in.
 */
export function messageBody(delivery: DeliveryToSend & { data: Record<string, unknown> }): string {
  const data = { ...delivery.data };
  const review = data.review as Record<string, unknown> | null | undefined;
  if (review && !delivery.includeClientComment) {
    const { clientComment: _dropped, ...visible } = review;
    data.review = visible;
  }
  return JSON.stringify({ type: NOTIFICATION_TYPE, timestamp: delivery.notifiedAt.toISOString(), data });
}
