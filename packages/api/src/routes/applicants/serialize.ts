import type { ApplicantRow as Applicant, DocumentFetchRow, EventSummary, StoredClarification, StoredDocument } from '@kyc/db/plain';
import { explainButton, explainRejection } from '@kyc/rejections';
import type { Static } from '@sinclair/typebox';
import { ApplicantResponse, type ApplicantEvent, type DocumentFetch, type DocumentResponse } from '../../schemas/applicant.ts';
import type { RejectionClarification } from '../../schemas/rejection.ts';

type Response = Static<typeof ApplicantResponse>;
type Review = NonNullable<Response['review']>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function reviewOf(row: Applicant, admin: boolean): Review | null {
  if (!row.hasReview) return null;
  const review: Review = {
    reviewAnswer: row.reviewAnswer,
    rejectLabels: row.rejectLabels,
    reviewRejectType: row.reviewRejectType,
    buttonIds: row.buttonIds,
    moderationComment: row.moderationComment,
  };
  // Sumsub: never for the applicant, may hold private information. Admin token only.
  if (admin) review.clientComment = row.clientComment;
  return review;
}

/** Fields whose response value is not the row's own. */
const derived = {
  review: reviewOf,
  // From the catalogue at read time: a catalogue update explains codes already stored.
  rejection: (row: Applicant) => (row.hasReview ? explainRejection(row) : null),
  decision: (row: Applicant) => row.decision,
  decisionChangedAt: (row: Applicant) => iso(row.decisionChangedAt),
  lastEventAt: (row: Applicant) => row.lastEventAt.toISOString(),
  createdAt: (row: Applicant) => row.createdAt.toISOString(),
  updatedAt: (row: Applicant) => row.updatedAt.toISOString(),
  applicantMemberOf: (row: Applicant) => row.applicantMemberOf ?? null,
} satisfies Partial<Record<keyof Response, (row: Applicant, admin: boolean) => unknown>>;

const FIELDS = Object.keys(ApplicantResponse.properties) as (keyof Response)[];

/** The record as the caller may see it; the response schema's field list is the only one. */
export function toApplicantResponse(row: Applicant, admin: boolean): Response {
  const record: Record<string, unknown> = {};
  for (const field of FIELDS) {
    record[field] = field in derived ? derived[field as keyof typeof derived](row, admin) : row[field as keyof Applicant];
  }
  return record as Response;
}

export function toEventResponse(row: EventSummary): Static<typeof ApplicantEvent> {
  return {
    eventId: row.eventId,
    type: row.type,
    correlationId: row.correlationId,
    createdAt: row.eventAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    processedAt: iso(row.processedAt),
    status: row.status,
    source: row.source,
    account: row.account,
    reviewStatus: row.reviewStatus,
    reviewAnswer: row.reviewAnswer,
  };
}

/** A document result as the caller may see it: clientComment (not for the applicant) for the admin token only. */
export function toDocumentResponse(document: StoredDocument, admin: boolean): Static<typeof DocumentResponse> {
  const { clientComment, ...visible } = document;
  return admin ? { ...visible, clientComment } : visible;
}

export function toDocumentFetch(row: DocumentFetchRow): Static<typeof DocumentFetch> {
  return { fetchedAt: row.fetchedAt.toISOString(), documents: row.documents, outcome: row.outcome };
}

/** A stored clarification with each button id explained by the catalogue. */
export function toClarification(stored: StoredClarification & { fetchedAt: Date }): Static<typeof RejectionClarification> {
  return {
    fetchedAt: stored.fetchedAt.toISOString(),
    applicant: stored.applicantButtonIds.map(explainButton),
    images: stored.images.map((image) => ({ imageId: image.imageId, buttons: image.buttonIds.map(explainButton) })),
  };
}
