import { type Applicant, type Review, stateFromRow } from '@kyc/db';
import type { Static } from '@sinclair/typebox';
import type { ApplicantEvent, ApplicantResponse } from '../../schemas/applicant.ts';

type EventRow = {
  eventId: string;
  type: string;
  correlationId: string;
  eventAt: Date;
  receivedAt: Date;
  processedAt: Date | null;
  status: 'applied' | 'failed';
  reviewStatus: string | null;
  reviewAnswer: string | null;
};

function withoutClientComment({ clientComment: _hidden, ...rest }: Review): Omit<Review, 'clientComment'> {
  return rest;
}

/** The record as the caller may see it: clientComment only for the admin token. */
export function toApplicantResponse(row: Applicant, admin: boolean): Static<typeof ApplicantResponse> {
  const { versions: _versions, review, lastEventAt, ...fields } = stateFromRow(row);
  const visible = review && !admin ? withoutClientComment(review) : review;
  return {
    ...fields,
    review: visible,
    lastEventAt: new Date(lastEventAt).toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toEventResponse(row: EventRow): Static<typeof ApplicantEvent> {
  return {
    eventId: row.eventId,
    type: row.type,
    correlationId: row.correlationId,
    createdAt: row.eventAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
    status: row.status,
    reviewStatus: row.reviewStatus,
    reviewAnswer: row.reviewAnswer,
  };
}
