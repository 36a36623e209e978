import { type ApplicantRow, type Db, prismaSql } from '@kyc/db';
import { toApplicantResponse } from '@kyc/api';
import type { ExpectedApplicant } from './reference-model.ts';

/** The stored applicant records in the reference model's shape, as the read API (admin) shows them. */
export async function storedApplicants(db: Db, ids: string[]): Promise<Map<string, ExpectedApplicant>> {
  const rows = await prismaSql(db).query<ApplicantRow>('SELECT * FROM applicants WHERE applicant_id = ANY($1::text[])', [ids]);
  return new Map(
    rows.map((row) => {
      const r = toApplicantResponse(row, true);
      const review = r.review ? { ...r.review, clientComment: r.review.clientComment ?? null } : null;
      const record: ExpectedApplicant = {
        applicantId: r.applicantId,
        externalUserId: r.externalUserId,
        inspectionId: r.inspectionId,
        applicantType: r.applicantType,
        levelName: r.levelName,
        clientId: r.clientId,
        sandboxMode: r.sandboxMode,
        reviewStatus: r.reviewStatus,
        reviewMode: r.reviewMode,
        applicantMemberOf: r.applicantMemberOf,
        decision: r.decision,
        review,
        lastEventType: r.lastEventType,
        lastEventAt: r.lastEventAt,
        eventCount: row.eventCount,
      };
      return [row.applicantId, record];
    }),
  );
}
