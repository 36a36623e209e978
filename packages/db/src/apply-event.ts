import type { ParsedWebhook } from '@kyc/contracts';
import { type ApplicantState, mergeEvent, reviewOf } from './applicant-merge.ts';
import { stateFromRow, stateToRow } from './applicant-row.ts';
import type { Db } from './client.ts';
import { storablePayload } from './sanitize.ts';
import type { Prisma } from './generated/client.ts';

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate';

export type ApplyInput = { event: ParsedWebhook; receivedAt: Date; attempts: number };

/**
 * Records the event and folds it into its applicant in one transaction. A per-
 * applicant advisory lock serialises workers on the same applicant, so no update
 * is lost; an event already `applied` changes nothing (exactly-once effect even
 * when BullMQ delivers a job twice).
 */
export async function applyEvent(db: Db, input: ApplyInput): Promise<ApplyOutcome> {
  const { receivedAt, attempts } = input;
  const event = { ...input.event, payload: storablePayload(input.event.payload) };
  const { applicantId } = event.payload;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${applicantId}, 0))`;
    const existing = await tx.event.findUnique({ where: { eventId: event.eventId }, select: { status: true } });
    if (existing?.status === 'applied') return 'duplicate';
    const row = await tx.applicant.findUnique({ where: { applicantId } });
    const current: ApplicantState | undefined = row ? stateFromRow(row) : undefined;
    const { state, stale } = mergeEvent(current, event);
    const data = stateToRow(state);
    await tx.applicant.upsert({ where: { applicantId }, create: { ...data, eventCount: 1 }, update: { ...data, eventCount: { increment: 1 } } });
    const now = new Date();
    await tx.event.upsert({
      where: { eventId: event.eventId },
      create: { ...eventColumns(event, receivedAt), status: 'applied', processedAt: now, attempts },
      update: { status: 'applied', processedAt: now, attempts, lastError: null },
    });
    return stale ? 'stale' : 'applied';
  });
}

function eventColumns(event: ParsedWebhook, receivedAt: Date) {
  const { payload } = event;
  return {
    eventId: event.eventId,
    applicantId: payload.applicantId,
    type: payload.type,
    correlationId: payload.correlationId,
    eventAt: new Date(event.eventAt),
    reviewStatus: payload.reviewStatus ?? null,
    reviewAnswer: payload.reviewResult?.reviewAnswer ?? reviewOf(payload)?.reviewAnswer ?? null,
    payload: payload as Prisma.InputJsonObject,
    receivedAt,
  };
}

/** Marks a dead-lettered event `failed` with its error, unless it was applied meanwhile. */
export async function recordFailure(db: Db, input: ApplyInput & { error: string }): Promise<void> {
  const lastError = input.error.slice(0, 2000).replaceAll('\u0000', '\uFFFD');
  const event = { ...input.event, payload: storablePayload(input.event.payload) };
  await db.event.upsert({
    where: { eventId: event.eventId },
    create: { ...eventColumns(event, input.receivedAt), status: 'failed', attempts: input.attempts, lastError },
    update: { attempts: input.attempts, lastError },
  });
  await db.event.updateMany({ where: { eventId: event.eventId, status: { not: 'applied' } }, data: { status: 'failed' } });
}
