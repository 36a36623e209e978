import type { Db } from './client.ts';

export function findApplicant(db: Db, applicantId: string) {
  return db.applicant.findUnique({ where: { applicantId } });
}

/** The applicant's events, oldest event time first (event id breaks ties, as in the merge). */
export function listApplicantEvents(db: Db, applicantId: string) {
  return db.event.findMany({
    where: { applicantId },
    orderBy: [{ eventAt: 'asc' }, { eventId: 'asc' }],
    select: {
      eventId: true,
      type: true,
      correlationId: true,
      eventAt: true,
      receivedAt: true,
      processedAt: true,
      status: true,
      source: true,
      reviewStatus: true,
      reviewAnswer: true,
    },
  });
}

/** What a replay needs: the raw body and the digest it arrived with, so the worker can verify it again. */
const REPLAY_FIELDS = {
  eventId: true,
  rawBody: true,
  digest: true,
  digestAlg: true,
  source: true,
  receivedAt: true,
  status: true,
} as const;

export type ReplayFilter = {
  status?: 'applied' | 'failed';
  type?: string;
  applicantId?: string;
  /** Received at or after (the time this service stored it). */
  since?: Date;
  /** Received before. */
  until?: Date;
};

/** Events to replay, in receipt order, after the (receivedAt, eventId) cursor. */
export function findEventsToReplay(db: Db, filter: ReplayFilter, limit: number, after?: { receivedAt: Date; eventId: string }) {
  return db.event.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.applicantId ? { applicantId: filter.applicantId } : {}),
      receivedAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) },
      ...(after
        ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, eventId: { gt: after.eventId } }] }
        : {}),
    },
    orderBy: [{ receivedAt: 'asc' }, { eventId: 'asc' }],
    take: limit,
    select: REPLAY_FIELDS,
  });
}

export function findEventForReplay(db: Db, eventId: string) {
  return db.event.findUnique({ where: { eventId }, select: REPLAY_FIELDS });
}
