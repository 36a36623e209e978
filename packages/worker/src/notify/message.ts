import type { DeliveryToSend } from '@kyc/db/plain';
import { explainRejection, type ReviewCodes } from '@kyc/rejections';

export const NOTIFICATION_TYPE = 'applicant.decision.changed';

/**
 * The body of a notification: Standard Webhooks' {type, timestamp, data}.
 * `timestamp` is when the change was recorded. The review's clientComment
 * (Sumsub: for admin personnel only) is dropped unless the endpoint opted in.
 * `rejection` explains a RED review's labels and button ids from the catalogue,
 * as the record does (null otherwise); it holds Sumsub's codes and the
 * catalogue's texts, never a comment.
 */
export function messageBody(delivery: DeliveryToSend & { data: Record<string, unknown> }): string {
  const data = { ...delivery.data };
  const review = data.review as (Record<string, unknown> & ReviewCodes) | null | undefined;
  if (review && !delivery.includeClientComment) {
    const { clientComment: _dropped, ...visible } = review;
    data.review = visible;
  }
  data.rejection = review ? explainRejection(review) : null;
  return JSON.stringify({ type: NOTIFICATION_TYPE, timestamp: delivery.notifiedAt.toISOString(), data });
}
