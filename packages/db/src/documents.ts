import type { DocumentResult } from '@kyc/sumsub-api';
import type { Sql } from './sql.ts';

// Document results read from Sumsub's API and reconciliation's reads. The rules
// are sql/04-documents.sql.

/** A document result as stored: the shape Sumsub's API client parses (@kyc/sumsub-api). */
export type StoredDocument = DocumentResult;

export type StoreOutcome = 'stored' | 'older' | 'no_review' | 'no_applicant';

/** Stores one fetch's results for the review of `reviewEventId` (null: the record's current review). */
export async function storeDocuments(
  sql: Sql,
  applicantId: string,
  reviewEventId: string | null,
  documents: readonly StoredDocument[],
): Promise<StoreOutcome> {
  const [row] = await sql.query<{ outcome: StoreOutcome }>('SELECT kyc_store_documents($1::text, $2::text, $3::jsonb) AS outcome', [
    applicantId,
    reviewEventId,
    JSON.stringify(documents),
  ]);
  if (!row) throw new Error('kyc_store_documents returned nothing');
  return row.outcome;
}

/** Whether a fetch for an applicant (and the review of an event) may go ahead: applied, not yet, or the applicant was erased. */
export async function fetchPrecondition(
  sql: Sql,
  applicantId: string,
  reviewEventId: string | null,
): Promise<'ready' | 'not_yet' | 'erased'> {
  const [row] = await sql.query<{ erased: boolean; ready: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM erasures WHERE applicant_id = $1) AS erased,
       CASE WHEN $2::text IS NULL THEN EXISTS (SELECT 1 FROM applicants WHERE applicant_id = $1)
            ELSE EXISTS (SELECT 1 FROM events WHERE event_id = $2 AND status = 'applied') END AS ready`,
    [applicantId, reviewEventId],
  );
  if (row?.erased) return 'erased';
  return row?.ready ? 'ready' : 'not_yet';
}

/** The document results the record shows: those of its visible review, else none. */
export async function visibleDocuments(sql: Sql, applicantId: string): Promise<{ fetchedAt: Date | null; documents: StoredDocument[] }> {
  const rows = await sql.query<StoredDocument & { fetchedAt: Date }>(
    `SELECT d.step, d.id_doc_type, d.country, d.image_id, d.review_answer, d.reject_labels, d.review_reject_type,
       d.moderation_comment, d.client_comment, d.button_ids, a.documents_fetched_at AS fetched_at
     FROM applicants a JOIN applicant_documents d ON d.applicant_id = a.applicant_id
     WHERE a.applicant_id = $1 AND kyc_documents_visible(a)
     ORDER BY d.position`,
    [applicantId],
  );
  return { fetchedAt: rows[0]?.fetchedAt ?? null, documents: rows.map(({ fetchedAt: _at, ...document }) => document) };
}

export type DocumentFetchRow = { fetchedAt: Date; documents: number; outcome: StoreOutcome };

/** When results were fetched for an applicant, oldest first (for its timeline). */
export function listDocumentFetches(sql: Sql, applicantId: string): Promise<DocumentFetchRow[]> {
  return sql.query<DocumentFetchRow>(
    'SELECT fetched_at, documents, outcome FROM document_fetches WHERE applicant_id = $1 ORDER BY fetched_at, id',
    [applicantId],
  );
}

/** When the record's reviewStatus was set (event time), or null; undefined when there is no such applicant. */
export async function reviewStatusTime(sql: Sql, applicantId: string): Promise<Date | null | undefined> {
  const [row] = await sql.query<{ at: Date | null }>(
    "SELECT kyc_field_time(a, 'reviewStatus') AS at FROM applicants a WHERE a.applicant_id = $1",
    [applicantId],
  );
  return row ? row.at : undefined;
}

/**
 * Applicants whose review is not completed and whose newest event is older than
 * `before`, by id after `after`; of one Sumsub account when `account` is given.
 */
export async function staleApplicants(sql: Sql, before: Date, limit: number, after?: string, account?: string): Promise<string[]> {
  const rows = await sql.query<{ applicantId: string }>(
    `SELECT applicant_id FROM applicants
     WHERE review_status IS DISTINCT FROM 'completed' AND last_event_at < $1 AND ($2::text IS NULL OR applicant_id > $2)
       AND ($4::text IS NULL OR account = $4)
     ORDER BY applicant_id LIMIT $3::int`,
    [before, after ?? null, limit, account ?? null],
  );
  return rows.map((r) => r.applicantId);
}

/** The Sumsub account that owns an applicant (the first to report it); undefined when none has yet. */
export async function applicantAccount(sql: Sql, applicantId: string): Promise<string | undefined> {
  const [row] = await sql.query<{ account: string }>('SELECT account FROM applicant_accounts WHERE applicant_id = $1', [applicantId]);
  return row?.account;
}

/** Whether an applicant is recorded. */
export async function applicantExists(sql: Sql, applicantId: string): Promise<boolean> {
  return (await sql.query('SELECT 1 AS one FROM applicants WHERE applicant_id = $1', [applicantId])).length > 0;
}
