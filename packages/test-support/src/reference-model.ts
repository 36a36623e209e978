import { isApplicantStateEvent, type ParsedWebhook } from '@kyc/contracts';
import type { ApplicantState } from '@kyc/db';

// The reference the system is checked against, written independently of the
// incremental merge: de-duplicate, sort by (event time, event id), fold in order.

/** A record as the model expects it: the state's fields, and how many events it took. */
export type ExpectedApplicant = Omit<ApplicantState, 'versions'> & { eventCount: number };

const FIELDS = ['externalUserId', 'inspectionId', 'applicantType', 'levelName', 'clientId', 'sandboxMode', 'reviewStatus'] as const;

const compare = (a: ParsedWebhook, b: ParsedWebhook) =>
  a.eventAt - b.eventAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

function foldApplicant(events: ParsedWebhook[]): ExpectedApplicant {
  const sorted = [...events].sort(compare);
  const last = sorted[sorted.length - 1] as ParsedWebhook;
  const expected: ExpectedApplicant = {
    applicantId: last.payload.applicantId,
    externalUserId: null,
    inspectionId: null,
    applicantType: null,
    levelName: null,
    clientId: null,
    sandboxMode: null,
    reviewStatus: null,
    review: null,
    lastEventType: last.payload.type,
    lastEventAt: last.eventAt,
    eventCount: sorted.length,
  };
  for (const { payload } of sorted) {
    if (!isApplicantStateEvent(payload.type)) continue;
    for (const field of FIELDS) {
      const value = payload[field];
      if (value !== undefined && value !== null) (expected as Record<string, unknown>)[field] = value;
    }
    if (payload.type === 'applicantReset') expected.review = null;
    const result = payload.reviewResult;
    if (payload.reviewStatus === 'completed' && result) {
      expected.review = {
        reviewAnswer: result.reviewAnswer ?? null,
        rejectLabels: result.rejectLabels ?? [],
        reviewRejectType: result.reviewRejectType ?? null,
        buttonIds: result.buttonIds ?? [],
        moderationComment: result.moderationComment ?? null,
        clientComment: result.clientComment ?? null,
      };
    }
  }
  return expected;
}

/** Expected applicant records from any multiset of deliveries. */
export function referenceFold(deliveries: readonly ParsedWebhook[]): Map<string, ExpectedApplicant> {
  const distinct = new Map(deliveries.map((d) => [d.eventId, d]));
  const byApplicant = new Map<string, ParsedWebhook[]>();
  for (const event of distinct.values()) {
    const list = byApplicant.get(event.payload.applicantId) ?? [];
    list.push(event);
    byApplicant.set(event.payload.applicantId, list);
  }
  return new Map([...byApplicant].map(([id, events]) => [id, foldApplicant(events)]));
}
