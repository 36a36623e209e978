import type { ParsedWebhook } from '@kyc/contracts';
import { type ApplicantState, mergeEvent, type Versions } from './applicant-merge.ts';
import type { Db } from './client.ts';
import { storablePayload } from './sanitize.ts';

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate';

export type ApplyInput = { event: ParsedWebhook; receivedAt: Date; attempts: number };

type CurrentRow = {
  event_status: string | null;
  applicant_id: string | null;
  external_user_id: string | null;
  inspection_id: string | null;
  applicant_type: string | null;
  level_name: string | null;
  client_id: string | null;
  sandbox_mode: boolean | null;
  review_status: string | null;
  has_review: boolean | null;
  review_answer: string | null;
  reject_labels: string[] | null;
  review_reject_type: string | null;
  button_ids: string[] | null;
  moderation_comment: string | null;
  client_comment: string | null;
  last_event_type: string | null;
  last_event_at: Date | string | null;
  versions: Versions | string | null;
};

function currentState(row: CurrentRow): ApplicantState | undefined {
  if (row.applicant_id === null) return undefined;
  return {
    applicantId: row.applicant_id,
    externalUserId: row.external_user_id,
    inspectionId: row.inspection_id,
    applicantType: row.applicant_type,
    levelName: row.level_name,
    clientId: row.client_id,
    sandboxMode: row.sandbox_mode,
    reviewStatus: row.review_status,
    review: row.has_review
      ? {
          reviewAnswer: row.review_answer,
          rejectLabels: row.reject_labels ?? [],
          reviewRejectType: row.review_reject_type,
          buttonIds: row.button_ids ?? [],
          moderationComment: row.moderation_comment,
          clientComment: row.client_comment,
        }
      : null,
    lastEventType: row.last_event_type ?? '',
    lastEventAt: new Date(row.last_event_at ?? 0).getTime(),
    versions: (typeof row.versions === 'string' ? JSON.parse(row.versions) : (row.versions ?? {})) as Versions,
  };
}

/**
 * Records the event and folds it into its applicant in one transaction of five
 * round trips: BEGIN, the applicant's advisory lock, one read (event status and
 * applicant), one write (both upserts in a CTE), COMMIT.
 *
 * The lock serialises workers on one applicant, so no update is lost; the read is
 * a statement of its own *after* the lock, so in READ COMMITTED it sees whatever
 * the previous holder committed; an event already `applied` changes nothing, which
 * makes the effect exactly-once even when BullMQ delivers a job twice. Raw SQL
 * through Prisma skips its per-query compilation on this hot path.
 */
export async function applyEvent(db: Db, input: ApplyInput): Promise<ApplyOutcome> {
  const event = { ...input.event, payload: storablePayload(input.event.payload) };
  const { applicantId } = event.payload;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${applicantId}, 0))`;
    const [row] = await tx.$queryRaw<CurrentRow[]>`
      SELECT (SELECT status::text FROM events WHERE event_id = ${event.eventId}) AS event_status,
             a.applicant_id, a.external_user_id, a.inspection_id, a.applicant_type, a.level_name, a.client_id, a.sandbox_mode,
             a.review_status, a.has_review, a.review_answer, a.reject_labels, a.review_reject_type, a.button_ids,
             a.moderation_comment, a.client_comment, a.last_event_type, a.last_event_at, a.versions
      FROM (SELECT 1) AS one LEFT JOIN applicants a ON a.applicant_id = ${applicantId}`;
    if (!row) throw new Error('the current-state query returned no row');
    if (row.event_status === 'applied') return 'duplicate';
    const { state, stale } = mergeEvent(currentState(row), event);
    await writeApplied(tx, state, event, input);
    return stale ? 'stale' : 'applied';
  });
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

async function writeApplied(tx: Tx, s: ApplicantState, event: ParsedWebhook, { receivedAt, attempts }: ApplyInput): Promise<void> {
  const r = s.review;
  const p = event.payload;
  await tx.$executeRaw`
    WITH applicant AS (
      INSERT INTO applicants (applicant_id, external_user_id, inspection_id, applicant_type, level_name, client_id, sandbox_mode,
        review_status, has_review, review_answer, reject_labels, review_reject_type, button_ids, moderation_comment, client_comment,
        event_count, last_event_type, last_event_at, versions, created_at, updated_at)
      VALUES (${s.applicantId}, ${s.externalUserId}, ${s.inspectionId}, ${s.applicantType}, ${s.levelName}, ${s.clientId}, ${s.sandboxMode},
        ${s.reviewStatus}, ${r !== null}, ${r?.reviewAnswer ?? null}, ${r?.rejectLabels ?? []}::text[], ${r?.reviewRejectType ?? null},
        ${r?.buttonIds ?? []}::text[], ${r?.moderationComment ?? null}, ${r?.clientComment ?? null},
        1, ${s.lastEventType}, ${new Date(s.lastEventAt)}, ${JSON.stringify(s.versions)}::jsonb, now(), now())
      ON CONFLICT (applicant_id) DO UPDATE SET
        external_user_id = EXCLUDED.external_user_id, inspection_id = EXCLUDED.inspection_id, applicant_type = EXCLUDED.applicant_type,
        level_name = EXCLUDED.level_name, client_id = EXCLUDED.client_id, sandbox_mode = EXCLUDED.sandbox_mode,
        review_status = EXCLUDED.review_status, has_review = EXCLUDED.has_review, review_answer = EXCLUDED.review_answer,
        reject_labels = EXCLUDED.reject_labels, review_reject_type = EXCLUDED.review_reject_type, button_ids = EXCLUDED.button_ids,
        moderation_comment = EXCLUDED.moderation_comment, client_comment = EXCLUDED.client_comment,
        event_count = applicants.event_count + 1, last_event_type = EXCLUDED.last_event_type,
        last_event_at = EXCLUDED.last_event_at, versions = EXCLUDED.versions, updated_at = now()
      RETURNING 1
    )
    INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, review_status, review_answer, payload,
      received_at, processed_at, attempts, status)
    VALUES (${event.eventId}, ${p.applicantId}, ${p.type}, ${p.correlationId}, ${new Date(event.eventAt)}, ${p.reviewStatus ?? null},
      ${p.reviewResult?.reviewAnswer ?? null}, ${JSON.stringify(p)}::jsonb, ${receivedAt}, now(), ${attempts}, 'applied')
    ON CONFLICT (event_id) DO UPDATE SET status = 'applied', processed_at = now(), attempts = EXCLUDED.attempts, last_error = NULL`;
}

/** Marks a dead-lettered event `failed` with its error, unless it was applied meanwhile. */
export async function recordFailure(db: Db, input: ApplyInput & { error: string }): Promise<void> {
  const lastError = input.error.slice(0, 2000).replaceAll('\u0000', '\uFFFD');
  const { eventId, eventAt } = input.event;
  const p = storablePayload(input.event.payload);
  await db.$executeRaw`
    INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, review_status, review_answer, payload,
      received_at, attempts, status, last_error)
    VALUES (${eventId}, ${p.applicantId}, ${p.type}, ${p.correlationId}, ${new Date(eventAt)}, ${p.reviewStatus ?? null},
      ${p.reviewResult?.reviewAnswer ?? null}, ${JSON.stringify(p)}::jsonb, ${input.receivedAt}, ${input.attempts}, 'failed', ${lastError})
    ON CONFLICT (event_id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
      status = CASE WHEN events.status = 'applied' THEN events.status ELSE 'failed'::event_status END`;
}
