import type { ApplicantState, Versions } from './applicant-merge.ts';
import type { Applicant } from './generated/client.ts';

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
