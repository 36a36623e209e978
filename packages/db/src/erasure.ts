import type { Sql } from './sql.ts';

// Erasure, expiry and the audit log. The rules are sql/05-erasure.sql.

export type ErasedRows = {
  erasedAt: Date;
  events: number;
  eventIds: string[];
  deliveryIds: string[];
  /** Each removed delivery's last generation, in deliveryIds' order: its jobs are generations 0 to this. */
  deliveryGenerations: number[];
};

/**
 * Erases one applicant from the database, leaving the tombstone. Undefined, and
 * nothing written, for an id the database has never seen, unless `force`.
 */
export async function eraseApplicantRows(sql: Sql, applicantId: string, actor: string, force: boolean): Promise<ErasedRows | undefined> {
  const [row] = await sql.query<ErasedRows>(
    'SELECT erased_at, events, event_ids, delivery_ids, delivery_generations FROM kyc_erase_applicant($1::text, $2::text, $3::boolean)',
    [applicantId, actor, force],
  );
  return row;
}

/** Adds removed Redis jobs to the tombstone's count. */
export async function countErasedJobs(sql: Sql, applicantId: string, jobs: number): Promise<void> {
  await sql.query('UPDATE erasures SET jobs = jobs + $2::int WHERE applicant_id = $1', [applicantId, jobs]);
}

export type Tombstone = { applicantId: string; erasedAt: Date; erasedBy: string; events: number; jobs: number; lateDeliveries: number };

export async function findTombstone(sql: Sql, applicantId: string): Promise<Tombstone | undefined> {
  const [row] = await sql.query<Tombstone>('SELECT * FROM erasures WHERE applicant_id = $1', [applicantId]);
  return row;
}

/** One pass of expiry: strips up to maxRows events received before `horizon` (and old notification bodies). */
export async function purgePayloads(sql: Sql, horizon: Date, maxRows: number): Promise<{ events: number; notifications: number }> {
  const [row] = await sql.query<{ events: number; notifications: number }>(
    'SELECT events, notifications FROM kyc_purge_payloads($1::timestamptz, $2::int)',
    [horizon, maxRows],
  );
  return row ?? { events: 0, notifications: 0 };
}

export type AuditEntry = { id: string; at: Date; actor: string; action: string; target: string | null; outcome: string };

export async function recordAudit(sql: Sql, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
  await sql.query('INSERT INTO audit_log (actor, action, target, outcome) VALUES ($1, $2, $3, $4)', [
    entry.actor,
    entry.action,
    entry.target,
    entry.outcome,
  ]);
}

/** Audit entries at or after `since`, by actor and action, oldest first, after the id `afterId`. */
export function listAudit(
  sql: Sql,
  filter: { since?: Date; actor?: string; action?: string },
  limit: number,
  afterId?: string,
): Promise<AuditEntry[]> {
  return sql.query<AuditEntry>(
    `SELECT id::text, at, actor, action, target, outcome FROM audit_log
     WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action = $3)
       AND ($4::bigint IS NULL OR id > $4::bigint)
     ORDER BY audit_log.id LIMIT $5::int`,
    [filter.since ?? null, filter.actor ?? null, filter.action ?? null, afterId ?? null, limit],
  );
}
