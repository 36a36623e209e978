import type { Applicant, Event } from './generated/client.ts';
import type { Sql } from './sql.ts';

// The read side's queries, as SQL over the Sql interface (sql.ts). Rows carry
// Prisma's model names; bigint columns arrive as text.

export type ApplicantRow = Omit<Applicant, 'changeXid'> & { changeXid: string };
export type EventRow = Event;

export async function findApplicant(sql: Sql, applicantId: string): Promise<ApplicantRow | undefined> {
  const [row] = await sql.query<ApplicantRow>('SELECT * FROM applicants WHERE applicant_id = $1', [applicantId]);
  return row;
}

export type EventSummary = Pick<
  Event,
  | 'eventId'
  | 'type'
  | 'correlationId'
  | 'eventAt'
  | 'receivedAt'
  | 'processedAt'
  | 'status'
  | 'source'
  | 'reviewStatus'
  | 'reviewAnswer'
  | 'account'
>;

/** The applicant's events, oldest event time first (event id breaks ties, as in the merge). */
export function listApplicantEvents(sql: Sql, applicantId: string): Promise<EventSummary[]> {
  return sql.query<EventSummary>(
    `SELECT event_id, type, correlation_id, event_at, received_at, processed_at, status, source, review_status, review_answer, account
     FROM events WHERE applicant_id = $1 ORDER BY event_at, event_id`,
    [applicantId],
  );
}

/** The filters event listing and replay share (one schema in the API). */
export type EventFilter = {
  status?: 'applied' | 'failed' | 'wrong_account';
  type?: string;
  applicantId?: string;
  source?: 'webhook' | 'reconcile';
  /** The Sumsub account it came through. */
  account?: string;
  /** Received at or after (the time this service stored it). */
  since?: Date;
  /** Received before. */
  until?: Date;
};

// $1..$7 of every filtered event query; the cursor and limit follow.
const FILTER_WHERE = `($1::event_status IS NULL OR status = $1) AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR applicant_id = $3)
  AND ($4::timestamptz IS NULL OR received_at >= $4) AND ($5::timestamptz IS NULL OR received_at < $5) AND ($6::text IS NULL OR source = $6)
  AND ($7::text IS NULL OR account = $7)`;
const filterValues = (f: EventFilter) => [
  f.status ?? null,
  f.type ?? null,
  f.applicantId ?? null,
  f.since ?? null,
  f.until ?? null,
  f.source ?? null,
  f.account ?? null,
];
const AFTER = '($8::timestamptz IS NULL OR (received_at, event_id) > ($8, $9::text))';

/** What a replay needs: the raw body and the digest it arrived with, so the worker can verify it again. */
export type ReplayableEvent = Pick<
  Event,
  'eventId' | 'applicantId' | 'rawBody' | 'digest' | 'digestAlg' | 'source' | 'receivedAt' | 'status' | 'account'
>;
const REPLAY_COLUMNS = 'event_id, applicant_id, raw_body, digest, digest_alg, source, received_at, status, account';

export type EventCursor = { receivedAt: Date; eventId: string };

/** Events to replay, in receipt order, after the (receivedAt, eventId) cursor. */
export function findEventsToReplay(sql: Sql, filter: EventFilter, limit: number, after?: EventCursor): Promise<ReplayableEvent[]> {
  return sql.query<ReplayableEvent>(
    `SELECT ${REPLAY_COLUMNS} FROM events WHERE ${FILTER_WHERE} AND ${AFTER} ORDER BY received_at, event_id LIMIT $10`,
    [...filterValues(filter), after?.receivedAt ?? null, after?.eventId ?? null, limit],
  );
}

/** How many events match, after the cursor (a replay's dry run). */
export async function countEvents(sql: Sql, filter: EventFilter, after?: EventCursor): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE ${FILTER_WHERE} AND ${AFTER}`, [
    ...filterValues(filter),
    after?.receivedAt ?? null,
    after?.eventId ?? null,
  ]);
  return row?.n ?? 0;
}

/** An event as the admin listing shows it: the summary, the payload as stored, and why it failed. */
export type StoredEvent = EventSummary & Pick<Event, 'applicantId' | 'payload' | 'attempts' | 'lastError'>;

/** Events in receipt order, with payloads (admin only: they hold names and clientComment). */
export function findEvents(sql: Sql, filter: EventFilter, limit: number, after?: EventCursor): Promise<StoredEvent[]> {
  return sql.query<StoredEvent>(
    `SELECT event_id, applicant_id, type, correlation_id, event_at, received_at, processed_at, status, source, review_status,
       review_answer, payload, attempts, last_error, account
     FROM events WHERE ${FILTER_WHERE} AND ${AFTER} ORDER BY received_at, event_id LIMIT $10`,
    [...filterValues(filter), after?.receivedAt ?? null, after?.eventId ?? null, limit],
  );
}

export async function findEventForReplay(sql: Sql, eventId: string): Promise<ReplayableEvent | undefined> {
  const [row] = await sql.query<ReplayableEvent>(`SELECT ${REPLAY_COLUMNS} FROM events WHERE event_id = $1`, [eventId]);
  return row;
}

/** An event's status and last error (what `replay --wait` and the event's job route report). */
export type EventStatus = Pick<Event, 'eventId' | 'applicantId' | 'status' | 'lastError'>;

export async function findEventStatus(sql: Sql, eventId: string): Promise<EventStatus | undefined> {
  const [row] = await sql.query<EventStatus>('SELECT event_id, applicant_id, status, last_error FROM events WHERE event_id = $1', [
    eventId,
  ]);
  return row;
}
