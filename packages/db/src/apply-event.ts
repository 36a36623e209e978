import type { ParsedWebhook } from '@kyc/contracts';
import { orderKey } from './applicant-merge.ts';
import { applyEventStatement } from './apply-sql.ts';
import type { Db } from './client.ts';
import { storablePayload } from './sanitize.ts';

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate';

export type ApplyInput = { event: ParsedWebhook; receivedAt: Date; attempts: number };

/**
 * Records the event and folds it into its applicant in a single statement (see
 * apply-sql.ts): the guarded upsert applies every field rule atomically under the
 * applicant row's lock, so concurrent workers lose no update, and an event
 * already `applied` changes nothing, which keeps the effect exactly-once even when
 * BullMQ delivers a job twice. One round trip, no interactive transaction.
 */
export async function applyEvent(db: Db, input: ApplyInput): Promise<ApplyOutcome> {
  const event = { ...input.event, payload: storablePayload(input.event.payload) };
  const [row] = await db.$queryRaw<{ applied: number; last_key: string | null }[]>(
    applyEventStatement(event, input.receivedAt, input.attempts),
  );
  if (!row || row.applied === 0) return 'duplicate';
  return row.last_key === orderKey(event) ? 'applied' : 'stale';
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
