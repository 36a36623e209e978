import type { DeliveryHead } from '@kyc/jobs';
import type { Sql } from './sql.ts';

// Notifications: endpoints, the relay from the outbox, deliveries. The rules
// (order per applicant, hand-over, replay) are sql/03-notifications.sql; these
// functions pass arguments and name the rows.

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

const heads = (rows: { deliveryId: string; generation: number; traceContext: string | null }[]): DeliveryHead[] =>
  rows.map((r) => ({
    deliveryId: String(r.deliveryId),
    generation: Number(r.generation),
    ...(r.traceContext ? { traceContext: r.traceContext } : {}),
  }));

/** Moves committed outbox rows to deliveries; the heads to queue (none while another relay runs). */
export async function relayNotifications(sql: Sql, maxRows: number): Promise<DeliveryHead[]> {
  return heads(await sql.query('SELECT delivery_id, generation, trace_context FROM kyc_relay_notifications($1::int)', [maxRows]));
}

/** Every pending head, oldest first (the sweep). */
export async function pendingHeads(sql: Sql, maxRows: number): Promise<DeliveryHead[]> {
  return heads(await sql.query('SELECT delivery_id, generation, trace_context FROM kyc_pending_heads($1::int)', [maxRows]));
}

/** A delivery as the sender needs it: message, endpoint, the secrets that sign now, whether it is its pair's head. */
export type DeliveryToSend = {
  id: string;
  status: DeliveryStatus;
  generation: number;
  attempts: number;
  messageId: string;
  endpointId: string;
  applicantId: string;
  version: number;
  /** The notified change (kyc_notification_data); null once the applicant was erased. */
  data: Record<string, unknown> | null;
  notifiedAt: Date;
  url: string;
  includeClientComment: boolean;
  secrets: string[];
  isHead: boolean;
};

export async function loadDelivery(sql: Sql, id: string): Promise<DeliveryToSend | undefined> {
  const [row] = await sql.query<DeliveryToSend>(
    `SELECT d.id::text, d.status, d.generation, d.attempts, d.message_id, d.endpoint_id, d.applicant_id, d.version,
       n.data, n.created_at AS notified_at, e.url, e.include_client_comment,
       array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_until > now() THEN e.previous_secret END], NULL) AS secrets,
       NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.applicant_id = d.applicant_id AND p.endpoint_id = d.endpoint_id
         AND p.status = 'pending' AND p.version < d.version) AS is_head
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN endpoints e ON e.id = d.endpoint_id
     WHERE d.id = $1::bigint`,
    [id],
  );
  return row;
}

export async function recordAttempt(sql: Sql, id: string, attempts: number, httpStatus: number | null, error: string): Promise<void> {
  await sql.query('SELECT kyc_record_attempt($1::bigint, $2::int, $3::int, $4::text) AS pending', [id, attempts, httpStatus, error]);
}

/** Ends a delivery; the next head of its endpoint and applicant, if any. */
export async function finishDelivery(
  sql: Sql,
  id: string,
  outcome: 'delivered' | 'failed',
  attempts: number,
  httpStatus: number | null,
  error: string | null,
): Promise<DeliveryHead[]> {
  return heads(
    await sql.query(
      'SELECT delivery_id, generation, trace_context FROM kyc_finish_delivery($1::bigint, $2::text, $3::int, $4::int, $5::text)',
      [id, outcome, attempts, httpStatus, error],
    ),
  );
}

/** Disables (or, with `remove`, deletes) an endpoint and cancels its pending deliveries; false when there was none. */
export async function disableEndpoint(sql: Sql, id: string, reason: string, remove: boolean): Promise<boolean> {
  const [row] = await sql.query<{ found: boolean }>('SELECT kyc_disable_endpoint($1::text, $2::text, $3::boolean) AS found', [
    id,
    reason,
    remove,
  ]);
  return row?.found === true;
}

export type DeliveryReplayFilter = {
  endpointId?: string;
  applicantId?: string;
  status?: 'failed' | 'cancelled';
  since?: string;
  until?: string;
};

export async function replayDeliveries(
  sql: Sql,
  filter: DeliveryReplayFilter,
  maxRows: number,
): Promise<{ replayed: number; heads: DeliveryHead[] }> {
  const [row] = await sql.query<{ result: { replayed: number; heads: [string, number][] } }>(
    'SELECT kyc_replay_deliveries($1::jsonb, $2::int) AS result',
    [JSON.stringify(filter), maxRows],
  );
  const result = row?.result ?? { replayed: 0, heads: [] };
  return { replayed: result.replayed, heads: result.heads.map(([deliveryId, generation]) => ({ deliveryId, generation })) };
}

/** What the dashboard says about a delivery job: endpoint, applicant, version, decision (no message body). */
export type DeliveryView = {
  id: string;
  endpointId: string;
  /** The endpoint URL's origin only: a path or query string may carry a token. */
  endpoint: string;
  applicantId: string;
  version: number;
  decision: string | null;
  status: DeliveryStatus;
};

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
};

/** The deliveries behind a page of delivery jobs, by id; unknown ids are absent. */
export async function deliveryViews(sql: Sql, ids: readonly string[]): Promise<Map<string, DeliveryView>> {
  const valid = ids.filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
  if (valid.length === 0) return new Map();
  const rows = await sql.query<Omit<DeliveryView, 'endpoint'> & { url: string }>(
    `SELECT d.id::text, d.endpoint_id, e.url, d.applicant_id, d.version, n.data->>'decision' AS decision, d.status
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN endpoints e ON e.id = d.endpoint_id
     WHERE d.id = ANY ($1::bigint[])`,
    [valid],
  );
  return new Map(rows.map(({ url, ...row }) => [row.id, { ...row, version: Number(row.version), endpoint: originOf(url) }]));
}

/** Every delivery id of one applicant (to find their jobs in the notifications queue). */
export async function applicantDeliveryIds(sql: Sql, applicantId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>('SELECT id::text FROM deliveries WHERE applicant_id = $1', [applicantId]);
  return rows.map((row) => row.id);
}
