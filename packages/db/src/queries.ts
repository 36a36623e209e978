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
      reviewStatus: true,
      reviewAnswer: true,
    },
  });
}

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
    select: { eventId: true, payload: true, receivedAt: true, status: true },
  });
}

export function findEventForReplay(db: Db, eventId: string) {
  return db.event.findUnique({ where: { eventId }, select: { eventId: true, payload: true, receivedAt: true, status: true } });
}
