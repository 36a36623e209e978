import { type Applicant, stateFromRow } from '@kyc/db';
import type { Static } from '@sinclair/typebox';
import type { ApplicantEvent, ApplicantResponse } from '../../schemas/applicant.ts';

type EventRow = { eventId: string; type: string; correlationId: string; eventAt: Date; receivedAt: Date; processedAt: Date | null; status: 'applied' | 'failed'; reviewStatus: string | null; reviewAnswer: string | null };

/** The review as the caller may see it: clientComment only for the admin token. */
function visibleReview(row: Applicant, admin: boolean) {
  const review = stateFromRow(row).review;
  if (!review || admin) return review;
  const { clientComment: _hidden, ...rest } = review;
  return rest;
}

export function toApplicantResponse(row: Applicant, admin: boolean): Static<typeof ApplicantResponse> {
  return {
    applicantId: row.applicantId,
    externalUserId: row.externalUserId,
    inspectionId: row.inspectionId,
    applicantType: row.applicantType,
    levelName: row.levelName,
    clientId: row.clientId,
    sandboxMode: row.sandboxMode,
    reviewStatus: row.reviewStatus,
    review: visibleReview(row, admin),
    lastEventType: row.lastEventType,
    lastEventAt: row.lastEventAt.toISOString(),
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
