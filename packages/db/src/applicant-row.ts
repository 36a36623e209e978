import type { ApplicantState, Versions } from './applicant-merge.ts';
import type { Applicant, Prisma } from './generated/client.ts';

export function stateFromRow(row: Applicant): ApplicantState {
  return {
    applicantId: row.applicantId,
    externalUserId: row.externalUserId,
    inspectionId: row.inspectionId,
    applicantType: row.applicantType,
    levelName: row.levelName,
    clientId: row.clientId,
    sandboxMode: row.sandboxMode,
    reviewStatus: row.reviewStatus,
    review: row.hasReview
      ? {
          reviewAnswer: row.reviewAnswer,
          rejectLabels: row.rejectLabels,
          reviewRejectType: row.reviewRejectType,
          buttonIds: row.buttonIds,
          moderationComment: row.moderationComment,
          clientComment: row.clientComment,
        }
      : null,
    lastEventType: row.lastEventType,
    lastEventAt: row.lastEventAt.getTime(),
    versions: row.versions as Versions,
  };
}

export function stateToRow(state: ApplicantState): Omit<Prisma.ApplicantCreateInput, 'eventCount'> {
  const review = state.review;
  return {
    applicantId: state.applicantId,
    externalUserId: state.externalUserId,
    inspectionId: state.inspectionId,
    applicantType: state.applicantType,
    levelName: state.levelName,
    clientId: state.clientId,
    sandboxMode: state.sandboxMode,
    reviewStatus: state.reviewStatus,
    hasReview: review !== null,
    reviewAnswer: review?.reviewAnswer ?? null,
    rejectLabels: review?.rejectLabels ?? [],
    reviewRejectType: review?.reviewRejectType ?? null,
    buttonIds: review?.buttonIds ?? [],
    moderationComment: review?.moderationComment ?? null,
    clientComment: review?.clientComment ?? null,
    lastEventType: state.lastEventType,
    lastEventAt: new Date(state.lastEventAt),
    versions: state.versions,
  };
}
