import type { ParsedWebhook } from '@kyc/sumsub-webhook';
import type { Db } from './client.ts';
import { prismaSql, type Sql } from './sql.ts';

/** `wrong_account`: recorded, never applied: its applicant belongs to another Sumsub account. */
export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'erased' | 'wrong_account';
export type EventSource = 'webhook' | 'reconcile';

/** An event as the ledger stores it: parsed, plus what re-verification and replay need. */
export type LedgerEvent = ParsedWebhook & {
  rawBody: string;
  digest: string;
  digestAlgorithm: string;
  receivedAt: number;
  attempts: number;
  source: EventSource;
  /** The Sumsub account whose signature it carries (`default`: the unprefixed variables). */
  account: string;
  /** The W3C traceparent of the job that applies it (tracing on): stored with its outbox row. */
  traceContext?: string | undefined;
};

/** The JSON element kyc_apply_events and kyc_record_failure take (packages/db/sql/02-apply-events.sql). */
function element(event: LedgerEvent) {
  return {
    event_id: event.eventId,
    event_at: new Date(event.eventAt).toISOString(),
    received_at: new Date(event.receivedAt).toISOString(),
    attempts: event.attempts,
    source: event.source,
    payload: event.payload,
    raw_body: event.rawBody,
    digest: event.digest,
    digest_alg: event.digestAlgorithm,
    account: event.account,
    ...(event.traceContext ? { trace_context: event.traceContext } : {}),
  };
}

/** The statement applyEvents sends: one constant text, one JSON parameter. */
export function applyEventsStatement(events: readonly LedgerEvent[]): { text: string; values: [string] } {
  return {
    text: 'SELECT event_id, outcome, wants_documents FROM kyc_apply_events($1::jsonb)',
    values: [JSON.stringify(events.map(element))],
  };
}

/**
 * Records a batch of events and folds each into its applicant, in one statement
 * (so one transaction): the rules are kyc_apply_events in packages/db/sql. An
 * event already applied changes nothing, which keeps the effect exactly-once
 * even when BullMQ runs a job twice. Resolves with each event's outcome.
 */
export async function applyEvents(db: Db, events: readonly LedgerEvent[]): Promise<Map<string, ApplyOutcome>> {
  return new Map([...(await applyEventsDetailed(prismaSql(db), events))].map(([id, applied]) => [id, applied.outcome]));
}

/** An event's outcome, and whether its document-level results should be fetched from Sumsub (a RED completed review). */
export type Applied = { outcome: ApplyOutcome; wantsDocuments: boolean };

/**
 * The statement on either driver: the worker sends it over plain pg where it can
 * (Prisma's raw-query path cost it about a tenth of its CPU and a fifth of its
 * garbage per event), through Prisma on the embedded database.
 */
export async function applyEventsDetailed(sql: Sql, events: readonly LedgerEvent[]): Promise<Map<string, Applied>> {
  const { text, values } = applyEventsStatement(events);
  const rows = await sql.query<{ eventId: string; outcome: ApplyOutcome; wantsDocuments: boolean }>(text, values);
  return new Map(rows.map((row) => [row.eventId, { outcome: row.outcome, wantsDocuments: row.wantsDocuments }]));
}

/** Applies one event; its outcome and follow-up. */
export async function applyEventDetailed(sql: Sql, event: LedgerEvent): Promise<Applied> {
  const applied = (await applyEventsDetailed(sql, [event])).get(event.eventId);
  if (!applied) throw new Error(`kyc_apply_events returned no outcome for ${event.eventId}`);
  return applied;
}

/** Applies one event; its outcome. */
export async function applyEvent(db: Db, event: LedgerEvent): Promise<ApplyOutcome> {
  return (await applyEventDetailed(prismaSql(db), event)).outcome;
}

/**
 * Marks a dead-lettered event `failed` with its error, also when an earlier run
 * applied it (a replay that failed): the database says what Redis's failed set
 * says. Applying it again is then a duplicate. False when its applicant was
 * erased: nothing was stored.
 */
export async function recordFailure(sql: Sql, event: LedgerEvent, error: string): Promise<boolean> {
  const [row] = await sql.query<{ stored: boolean }>('SELECT kyc_record_failure($1::jsonb, $2) AS stored', [
    JSON.stringify(element(event)),
    error.toWellFormed().replaceAll('\u0000', '\uFFFD'),
  ]);
  return row?.stored === true;
}

/**
 * Marks a stored event `failed` whose stored body failed verification in the
 * worker (kyc_record_verification_failure): only when `rawBody` and `digest` are
 * the row's own. False when there is no such row.
 */
export async function recordVerificationFailure(
  sql: Sql,
  event: { eventId: string; rawBody: string; digest: string; attempts: number },
  error: string,
): Promise<boolean> {
  const [row] = await sql.query<{ stored: boolean }>(
    'SELECT kyc_record_verification_failure($1::text, $2::text, $3::text, $4::int, $5::text) AS stored',
    [event.eventId, event.rawBody, event.digest, event.attempts, error.toWellFormed().replaceAll('\u0000', '\uFFFD')],
  );
  return row?.stored === true;
}
