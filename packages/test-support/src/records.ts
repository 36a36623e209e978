import { type ApplicantRow, type Db, prismaSql } from '@kyc/db';
import { toApplicantResponse } from '@kyc/api';
import type { ParsedWebhook } from '@kyc/sumsub-webhook';
import { type ExpectedApplicant, referenceFold } from './reference-model.ts';

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

/**
 * How the stored records compare with the reference model's fold of `events`:
 * records that differ (or are missing), and events counted more than once.
 */
export async function recordsAgainstModel(
  db: Db,
  events: readonly ParsedWebhook[],
): Promise<{ wrongRecords: number; appliedTwice: number }> {
  const expected = referenceFold(events);
  const stored = await storedApplicants(db, [...expected.keys()]);
  let wrongRecords = 0;
  let appliedTwice = 0;
  for (const [id, model] of expected) {
    const record = stored.get(id);
    if (!record) {
      wrongRecords++;
      continue;
    }
    appliedTwice += Math.max(0, record.eventCount - model.eventCount);
    if (JSON.stringify({ ...record, eventCount: 0 }) !== JSON.stringify({ ...model, eventCount: 0 })) wrongRecords++;
  }
  return { wrongRecords, appliedTwice };
}
