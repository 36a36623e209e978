import type { Decision } from './decisions.ts';
import type { ApplicantRow } from './queries.ts';
import type { DeliveryStatus } from './notifications.ts';
import type { Sql } from './sql.ts';

// The admin side of notifications (endpoints, the delivery log) and the change
// feed: reads and single-row writes.

export type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  includeClientComment: boolean;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
  previousSecretUntil: Date | null;
};
const ENDPOINT_COLUMNS = 'id, url, description, include_client_comment, enabled, disabled_reason, created_at, previous_secret_until';

export async function createEndpoint(
  sql: Sql,
  endpoint: { id: string; url: string; description: string | null; includeClientComment: boolean; secret: string },
): Promise<EndpointRow> {
  const [row] = await sql.query<EndpointRow>(
    `INSERT INTO endpoints (id, url, description, include_client_comment, secret) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${ENDPOINT_COLUMNS}`,
    [endpoint.id, endpoint.url, endpoint.description, endpoint.includeClientComment, endpoint.secret],
  );
  if (!row) throw new Error('endpoint insert returned no row');
  return row;
}

/** Endpoints not removed, oldest first; never their secrets. */
export function listEndpoints(sql: Sql): Promise<EndpointRow[]> {
  return sql.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE deleted_at IS NULL ORDER BY created_at, id`);
}

/** A new secret; the old one keeps signing for 24 hours so receivers can switch. Until when; undefined when no such endpoint. */
export async function rotateEndpointSecret(sql: Sql, id: string, secret: string): Promise<Date | undefined> {
  const [row] = await sql.query<{ previousSecretUntil: Date }>(
    `UPDATE endpoints SET previous_secret = secret, previous_secret_until = now() + interval '24 hours', secret = $2
     WHERE id = $1 AND deleted_at IS NULL RETURNING previous_secret_until`,
    [id, secret],
  );
  return row?.previousSecretUntil;
}

/** Turns a disabled endpoint (after 410 Gone) back on; the endpoint as it is now, undefined when there is none. */
export async function enableEndpoint(sql: Sql, id: string): Promise<EndpointRow | undefined> {
  const [row] = await sql.query<EndpointRow>(
    `UPDATE endpoints SET enabled = true, disabled_reason = NULL WHERE id = $1 AND deleted_at IS NULL RETURNING ${ENDPOINT_COLUMNS}`,
    [id],
  );
  return row;
}

export type DeliveryRow = {
  id: string;
  messageId: string;
  endpointId: string;
  applicantId: string;
  version: number;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** Deliveries by status and endpoint, in id order after `afterId`. */
export function listDeliveries(
  sql: Sql,
  filter: { status?: DeliveryStatus; endpointId?: string; applicantId?: string },
  limit: number,
  afterId?: string,
): Promise<DeliveryRow[]> {
  return sql.query<DeliveryRow>(
    `SELECT id::text, message_id, endpoint_id, applicant_id, version, status, attempts, last_status, last_error, created_at, finished_at
     FROM deliveries
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR endpoint_id = $2) AND ($3::text IS NULL OR applicant_id = $3)
       AND ($4::bigint IS NULL OR id > $4::bigint)
     ORDER BY deliveries.id LIMIT $5::int`,
    [filter.status ?? null, filter.endpointId ?? null, filter.applicantId ?? null, afterId ?? null, limit],
  );
}

/**
 * The change feed: applicants in the order their last change committed. Only
 * changes of transactions older than every one still running are listed
 * (change_xid below the snapshot's xmin), so a row never appears behind a
 * cursor a reader already passed: a consumer that follows nextCursor misses nothing.
 */
export function changedApplicants(
  sql: Sql,
  filter: { updatedSince?: Date; decision?: Decision; account?: string },
  limit: number,
  after?: { changeXid: string; applicantId: string },
): Promise<ApplicantRow[]> {
  return sql.query<ApplicantRow>(
    `SELECT * FROM applicants
     WHERE change_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       AND ($1::timestamptz IS NULL OR updated_at >= $1::timestamptz) AND ($2::text IS NULL OR decision = $2)
       AND ($3::bigint IS NULL OR (change_xid, applicant_id) > ($3::bigint, $4::text))
       AND ($6::text IS NULL OR account = $6)
     ORDER BY change_xid, applicant_id
     LIMIT $5::int`,
    [
      filter.updatedSince ?? null,
      filter.decision ?? null,
      after?.changeXid ?? null,
      after?.applicantId ?? null,
      limit,
      filter.account ?? null,
    ],
  );
}
