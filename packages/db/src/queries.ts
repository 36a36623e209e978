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
