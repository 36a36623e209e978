import { isApplicantStateEvent, type ParsedWebhook } from '@kyc/contracts';
import { type ApplicantState, IDENTITY_FIELDS, mergeEvent, orderKey, reviewOf } from './applicant-merge.ts';
import { Prisma } from './generated/client.ts';

// The applicant merge as one guarded upsert. PostgreSQL evaluates ON CONFLICT DO
// UPDATE SET against the latest committed row, under that row's lock, so each
// field's "only a newer event may overwrite me" rule is applied atomically and in
// any order: no advisory lock, no read-modify-write, one round trip. The rules are
// those of mergeEvent (applicant-merge.ts); tests hold both to the same reference.

const COLUMNS: Record<(typeof IDENTITY_FIELDS)[number], { column: string; type: 'text' | 'boolean' }> = {
  externalUserId: { column: 'external_user_id', type: 'text' },
  inspectionId: { column: 'inspection_id', type: 'text' },
  applicantType: { column: 'applicant_type', type: 'text' },
  levelName: { column: 'level_name', type: 'text' },
  clientId: { column: 'client_id', type: 'text' },
  sandboxMode: { column: 'sandbox_mode', type: 'boolean' },
  reviewStatus: { column: 'review_status', type: 'text' },
};

const raw = Prisma.raw;

/** The SET list of the guarded upsert for one event. */
function mergeAssignments(event: ParsedWebhook, key: string): Prisma.Sql {
  const { payload } = event;
  const applies = isApplicantStateEvent(payload.type);
  const review = applies ? reviewOf(payload) : null;
  const reset = applies && payload.type === 'applicantReset';
  // Order keys are compared bytewise whatever the database's collation.
  const newer = (version: string) => Prisma.sql`(${key}::text COLLATE "C") > COALESCE(a.versions->>${version}, '')`;

  const identity = IDENTITY_FIELDS.map((field) => {
    const { column, type } = COLUMNS[field];
    const value = applies ? (payload[field] ?? null) : null;
    return Prisma.sql`${raw(column)} = CASE WHEN ${value}::${raw(type)} IS NOT NULL AND ${newer(field)} THEN ${value}::${raw(type)} ELSE a.${raw(column)} END`;
  });

  const reviewWins = Prisma.sql`(${review !== null}::boolean AND ${newer('review')})`;
  const reviewKey = Prisma.sql`(CASE WHEN ${reviewWins} THEN ${key}::text ELSE a.versions->>'review' END)`;
  const resetKey = Prisma.sql`(CASE WHEN ${reset}::boolean AND ${newer('reset')} THEN ${key}::text ELSE a.versions->>'reset' END)`;
  // A reset hides a review only when it is newer (an event's own review survives its own reset).
  const visible = Prisma.sql`(${reviewKey} IS NOT NULL AND (${resetKey} IS NULL OR (${reviewKey} COLLATE "C") >= ${resetKey}))`;
  const reviewColumn = (column: string, value: unknown, type: string, hidden: string) =>
    Prisma.sql`${raw(column)} = CASE WHEN NOT ${visible} THEN ${raw(hidden)} WHEN ${reviewWins} THEN ${value}::${raw(type)} ELSE a.${raw(column)} END`;

  const versionUpdates = Prisma.join(
    [
      ...IDENTITY_FIELDS.map((field) => {
        const value = applies ? (payload[field] ?? null) : null;
        return Prisma.sql`${field}::text, CASE WHEN ${value !== null}::boolean AND ${newer(field)} THEN ${key}::text END`;
      }),
      Prisma.sql`'lastEvent', CASE WHEN ${newer('lastEvent')} THEN ${key}::text END`,
      Prisma.sql`'review', CASE WHEN ${reviewWins} THEN ${key}::text END`,
      Prisma.sql`'reset', CASE WHEN ${reset}::boolean AND ${newer('reset')} THEN ${key}::text END`,
    ],
    ', ',
  );

  return Prisma.join(
    [
      ...identity,
      Prisma.sql`has_review = ${visible}`,
      reviewColumn('review_answer', review?.reviewAnswer ?? null, 'text', 'NULL'),
      reviewColumn('reject_labels', review?.rejectLabels ?? [], 'text[]', "'{}'::text[]"),
      reviewColumn('review_reject_type', review?.reviewRejectType ?? null, 'text', 'NULL'),
      reviewColumn('button_ids', review?.buttonIds ?? [], 'text[]', "'{}'::text[]"),
      reviewColumn('moderation_comment', review?.moderationComment ?? null, 'text', 'NULL'),
      reviewColumn('client_comment', review?.clientComment ?? null, 'text', 'NULL'),
      Prisma.sql`last_event_type = CASE WHEN ${newer('lastEvent')} THEN ${payload.type}::text ELSE a.last_event_type END`,
      Prisma.sql`last_event_at = CASE WHEN ${newer('lastEvent')} THEN ${new Date(event.eventAt)}::timestamptz ELSE a.last_event_at END`,
      Prisma.sql`versions = a.versions || jsonb_strip_nulls(jsonb_build_object(${versionUpdates}))`,
      Prisma.sql`event_count = a.event_count + 1`,
      Prisma.sql`updated_at = now()`,
    ],
    ', ',
  );
}

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
  const key = orderKey(event);
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
      ON CONFLICT (applicant_id) DO UPDATE SET ${mergeAssignments(event, key)}
      RETURNING a.versions->>'lastEvent' AS last_key
    )
    SELECT (SELECT count(*) FROM ev)::int AS applied, (SELECT last_key FROM up) AS last_key`;
}
