import { type Db, stateFromRow } from '@kyc/db';
import type { ExpectedApplicant } from './reference-model.ts';

/** The stored applicant records in the reference model's shape. */
export async function storedApplicants(db: Db, ids: string[]): Promise<Map<string, ExpectedApplicant>> {
  const rows = await db.applicant.findMany({ where: { applicantId: { in: ids } } });
  return new Map(
    rows.map((row) => {
      const { versions: _versions, ...state } = stateFromRow(row);
      return [row.applicantId, { ...state, eventCount: row.eventCount }];
    }),
  );
}
