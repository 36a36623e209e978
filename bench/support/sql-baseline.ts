import { type ParsedWebhook } from '@kyc/contracts';
import { type ApplicantState, mergeEvent, type Versions } from '@kyc/db';
import pg from 'pg';

// The processing baseline: the statements the worker's Prisma transaction issues
// (captured from Prisma's query log), sent with plain `pg` at the same concurrency,
// with the same merge code in between. Only Prisma and BullMQ are taken away.

type Row = Record<string, unknown>;

function fromRow(row: Row): ApplicantState {
  return {
    applicantId: row.applicant_id as string,
    externalUserId: row.external_user_id as string | null,
    inspectionId: row.inspection_id as string | null,
    applicantType: row.applicant_type as string | null,
    levelName: row.level_name as string | null,
    clientId: row.client_id as string | null,
    sandboxMode: row.sandbox_mode as boolean | null,
    reviewStatus: row.review_status as string | null,
    review: row.has_review
      ? {
          reviewAnswer: row.review_answer as string | null,
          rejectLabels: row.reject_labels as string[],
          reviewRejectType: row.review_reject_type as string | null,
          buttonIds: row.button_ids as string[],
          moderationComment: row.moderation_comment as string | null,
          clientComment: row.client_comment as string | null,
        }
      : null,
    lastEventType: row.last_event_type as string,
    lastEventAt: (row.last_event_at as Date).getTime(),
    versions: row.versions as Versions,
  };
}

async function applyOne(client: pg.PoolClient, event: ParsedWebhook): Promise<void> {
  const { applicantId } = event.payload;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [applicantId]);
    const existing = await client.query('SELECT event_id, status::text FROM events WHERE event_id = $1 LIMIT 1', [event.eventId]);
    if (existing.rows[0]?.status === 'applied') {
      await client.query('COMMIT');
      return;
    }
    const current = await client.query('SELECT * FROM applicants WHERE applicant_id = $1 LIMIT 1', [applicantId]);
    const { state } = mergeEvent(current.rows[0] ? fromRow(current.rows[0] as Row) : undefined, event);
    const r = state.review;
    const values = [
      state.applicantId, state.externalUserId, state.inspectionId, state.applicantType, state.levelName, state.clientId, state.sandboxMode, state.reviewStatus,
      r?.reviewAnswer ?? null, r?.rejectLabels ?? [], r?.reviewRejectType ?? null, r?.buttonIds ?? [], r?.moderationComment ?? null, r?.clientComment ?? null,
      r !== null, state.lastEventType, new Date(state.lastEventAt), JSON.stringify(state.versions),
    ];
    await client.query(
      `INSERT INTO applicants (applicant_id, external_user_id, inspection_id, applicant_type, level_name, client_id, sandbox_mode, review_status,
         review_answer, reject_labels, review_reject_type, button_ids, moderation_comment, client_comment, has_review, event_count, last_event_type, last_event_at, versions, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,1,$16,$17,$18,now(),now())
       ON CONFLICT (applicant_id) DO UPDATE SET external_user_id=$2, inspection_id=$3, applicant_type=$4, level_name=$5, client_id=$6, sandbox_mode=$7, review_status=$8,
         review_answer=$9, reject_labels=$10, review_reject_type=$11, button_ids=$12, moderation_comment=$13, client_comment=$14, has_review=$15,
         event_count=applicants.event_count+1, last_event_type=$16, last_event_at=$17, versions=$18, updated_at=now()`,
      values,
    );
    const p = event.payload;
    await client.query(
      `INSERT INTO events (event_id, applicant_id, type, correlation_id, event_at, review_status, review_answer, payload, received_at, processed_at, attempts, status)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,now(),1,'applied') ON CONFLICT (event_id) DO UPDATE SET status='applied', processed_at=now(), attempts=1, last_error=NULL`,
      [event.eventId, applicantId, p.type, p.correlationId, new Date(event.eventAt), p.reviewStatus ?? null, p.reviewResult?.reviewAnswer ?? null, JSON.stringify(p), new Date()],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Applies `events` with `concurrency` connections; returns events per second. */
export async function sqlBaseline(databaseUrl: string, events: readonly ParsedWebhook[], concurrency: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const client = await pool.connect();
      try {
        while (next < events.length) await applyOne(client, events[next++] as ParsedWebhook);
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return events.length / seconds;
}
