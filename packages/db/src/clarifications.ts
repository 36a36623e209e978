import type { Sql } from './sql.ts';
import type { StoreOutcome } from './documents.ts';

// Sumsub's rejection clarification of a RED review (moderationStates). The rules
// are sql/10-clarifications.sql.

/** The button ids Sumsub gave for one document image. */
export type ClarifiedImage = { imageId: string; buttonIds: string[] };

/** A clarification as stored: ids only (no personal data). */
export type StoredClarification = { applicantButtonIds: string[]; images: ClarifiedImage[] };

/** Stores one fetch for the review of `reviewEventId` (null: the record's current review). */
export async function storeClarification(
  sql: Sql,
  applicantId: string,
  reviewEventId: string | null,
  clarification: StoredClarification,
): Promise<StoreOutcome> {
  const [row] = await sql.query<{ outcome: StoreOutcome }>(
    'SELECT kyc_store_clarification($1::text, $2::text, $3::jsonb, $4::jsonb) AS outcome',
    [applicantId, reviewEventId, JSON.stringify(clarification.applicantButtonIds), JSON.stringify(clarification.images)],
  );
  if (!row) throw new Error('kyc_store_clarification returned nothing');
  return row.outcome;
}

/** The clarification the record shows (that of its visible review), or null. */
export async function visibleClarification(sql: Sql, applicantId: string): Promise<(StoredClarification & { fetchedAt: Date }) | null> {
  const [row] = await sql.query<{ fetchedAt: Date; applicantButtonIds: string[]; images: ClarifiedImage[] }>(
    'SELECT fetched_at, applicant_button_ids, images FROM kyc_visible_clarification($1::text)',
    [applicantId],
  );
  return row ?? null;
}
