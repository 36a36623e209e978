import type { ParsedWebhook } from '@kyc/contracts';
import { type ApplicantState, IDENTITY_FIELDS, mergeEvent } from './applicant-merge.ts';
import { Prisma } from './generated/client.ts';

// The applicant merge as one guarded upsert. PostgreSQL evaluates ON CONFLICT DO
// UPDATE SET against the latest committed row, under that row's lock, so the merge
// is atomic whatever the concurrency: no advisory lock, no read-modify-write, one
// round trip. The rules are those of mergeEvent (applicant-merge.ts); tests hold
// both to the same reference model.

const COLUMNS: Record<(typeof IDENTITY_FIELDS)[number], string> = {
  externalUserId: 'external_user_id',
  inspectionId: 'inspection_id',
  applicantType: 'applicant_type',
  levelName: 'level_name',
  clientId: 'client_id',
  sandboxMode: 'sandbox_mode',
  reviewStatus: 'review_status',
};

// ON CONFLICT DO UPDATE merges two states: the stored row (a) and the event
// folded from nothing (EXCLUDED, see insertValues), whose `versions` hold the
// event's order key for exactly the fields it carries. Each field keeps the value
// with the newer key: a last-writer-wins register per field, commutative and
// idempotent, so arrival order cannot matter. Keys compare bytewise (COLLATE "C")
// whatever the database's collation. The statement text is constant.
const newer = (key: string) => `(EXCLUDED.versions->>'${key}' COLLATE "C") > COALESCE(a.versions->>'${key}', '')`;
const latest = (key: string) => `GREATEST(a.versions->>'${key}' COLLATE "C", EXCLUDED.versions->>'${key}')`;
// A reset hides a review only when it is newer (an event's own review survives its own reset).
const VISIBLE = `(${latest('review')} IS NOT NULL AND (${latest('reset')} IS NULL OR ${latest('review')} >= ${latest('reset')}))`;
const REVIEW_COLUMNS: [column: string, hidden: string][] = [
  ['review_answer', 'NULL'],
  ['reject_labels', "'{}'::text[]"],
  ['review_reject_type', 'NULL'],
  ['button_ids', "'{}'::text[]"],
  ['moderation_comment', 'NULL'],
  ['client_comment', 'NULL'],
];
const VERSION_KEYS = [...IDENTITY_FIELDS, 'lastEvent', 'review', 'reset'];

const MERGE_ASSIGNMENTS = [
  ...IDENTITY_FIELDS.map(
    (field) => `${COLUMNS[field]} = CASE WHEN ${newer(field)} THEN EXCLUDED.${COLUMNS[field]} ELSE a.${COLUMNS[field]} END`,
  ),
  `has_review = ${VISIBLE}`,
  ...REVIEW_COLUMNS.map(
    ([column, hidden]) =>
      `${column} = CASE WHEN NOT ${VISIBLE} THEN ${hidden} WHEN ${newer('review')} THEN EXCLUDED.${column} ELSE a.${column} END`,
  ),
  `last_event_type = CASE WHEN ${newer('lastEvent')} THEN EXCLUDED.last_event_type ELSE a.last_event_type END`,
  `last_event_at = CASE WHEN ${newer('lastEvent')} THEN EXCLUDED.last_event_at ELSE a.last_event_at END`,
  `versions = jsonb_strip_nulls(jsonb_build_object(${VERSION_KEYS.map((k) => `'${k}', ${latest(k)}`).join(', ')}))`,
  'event_count = a.event_count + 1',
  'updated_at = now()',
].join(',\n        ');

/** The row a first event creates (the merge from nothing). */
function insertValues(state: ApplicantState): Prisma.Sql {
  const r = state.review;
  return Prisma.sql`${state.applicantId}::text, ${state.externalUserId}::text, ${state.inspectionId}::text, ${state.applicantType}::text,
    ${state.levelName}::text, ${state.clientId}::text, ${state.sandboxMode}::boolean, ${state.reviewStatus}::text, ${r !== null}::boolean,
    ${r?.reviewAnswer ?? null}::text, ${r?.rejectLabels ?? []}::text[], ${r?.reviewRejectType ?? null}::text, ${r?.buttonIds ?? []}::text[],
    ${r?.moderationComment ?? null}::text, ${r?.clientComment ?? null}::text, 1, ${state.lastEventType}::text,
    ${new Date(state.lastEventAt)}::timestamptz, ${JSON.stringify(state.versions)}::jsonb, now(), now()`;
}

/**
 * One statement: record the event as applied (unless it already was: then nothing
 * else happens) and merge it into its applicant. Returns whether it was applied
 * and the applicant's newest order key afterwards (to tell a stale event).
 */
export function applyEventStatement(event: ParsedWebhook, receivedAt: Date, attempts: number): Prisma.Sql {
  const p = event.payload;
  return Prisma.sql`
    WITH ev AS (
      INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, review_status, review_answer, payload,
        received_at, processed_at, attempts, status)
      VALUES (${event.eventId}, ${p.applicantId}, ${p.type}, ${p.correlationId}, ${new Date(event.eventAt)}, ${p.reviewStatus ?? null},
        ${p.reviewResult?.reviewAnswer ?? null}, ${JSON.stringify(p)}::jsonb, ${receivedAt}, now(), ${attempts}, 'applied')
      ON CONFLICT (event_id) DO UPDATE SET status = 'applied', processed_at = now(), attempts = EXCLUDED.attempts, last_error = NULL
        WHERE events.status <> 'applied'
      RETURNING 1
    ), up AS (
      INSERT INTO applicants AS a (applicant_id, external_user_id, inspection_id, applicant_type, level_name, client_id, sandbox_mode,
        review_status, has_review, review_answer, reject_labels, review_reject_type, button_ids, moderation_comment, client_comment,
        event_count, last_event_type, last_event_at, versions, created_at, updated_at)
      SELECT ${insertValues(mergeEvent(undefined, event).state)} FROM ev
      ON CONFLICT (applicant_id) DO UPDATE SET ${Prisma.raw(MERGE_ASSIGNMENTS)}
      RETURNING a.versions->>'lastEvent' AS last_key
    )
    SELECT (SELECT count(*) FROM ev)::int AS applied, (SELECT last_key FROM up) AS last_key`;
}
