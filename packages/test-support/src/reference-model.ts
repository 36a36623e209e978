import type { ParsedWebhook } from '@kyc/sumsub-webhook';

// The reference the system is checked against, written independently of the
// incremental merge in packages/db/sql: de-duplicate, sort by (event time,
// event id), fold in order from nothing. It is the only other statement of the
// rules, and it is the oracle: the property tests hold the SQL to it.

export type ExpectedReview = {
  reviewAnswer: string | null;
  rejectLabels: string[];
  reviewRejectType: string | null;
  buttonIds: string[];
  moderationComment: string | null;
  clientComment: string | null;
};

/** A record as the model expects it (the order-independent part of the read API's record, and its event count). */
export type ExpectedApplicant = {
  applicantId: string;
  externalUserId: string | null;
  inspectionId: string | null;
  applicantType: string | null;
  levelName: string | null;
  clientId: string | null;
  sandboxMode: boolean | null;
  reviewStatus: string | null;
  reviewMode: string | null;
  applicantMemberOf: unknown;
  decision: string;
  review: ExpectedReview | null;
  lastEventType: string;
  lastEventAt: string;
  eventCount: number;
};

const STRING_FIELDS = ['externalUserId', 'inspectionId', 'applicantType', 'levelName', 'clientId', 'reviewStatus', 'reviewMode'] as const;

/** Families whose review fields describe an action, a transaction or a case, not the applicant. */
const OTHER_SUBJECT = /^(applicantAction|applicantKyt|kytCase|amlCase)/;

const compare = (a: ParsedWebhook, b: ParsedWebhook) =>
  a.eventAt - b.eventAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

function decisionOf(record: ExpectedApplicant): string {
  const { reviewStatus: status, review } = record;
  if (status === 'completed' && review?.reviewAnswer === 'GREEN') return 'approved';
  if (status === 'completed' && review?.reviewAnswer === 'RED')
    return review.reviewRejectType === 'RETRY' ? 'rejected_retry' : 'rejected_final';
  if (status === 'onHold') return 'on_hold';
  if (status === null || status === 'init') return 'not_started';
  return 'pending';
}

function foldApplicant(events: ParsedWebhook[]): ExpectedApplicant {
  const sorted = [...events].sort(compare);
  const last = sorted[sorted.length - 1] as ParsedWebhook;
  const expected: ExpectedApplicant = {
    applicantId: String(last.payload.applicantId),
    externalUserId: null,
    inspectionId: null,
    applicantType: null,
    levelName: null,
    clientId: null,
    sandboxMode: null,
    reviewStatus: null,
    reviewMode: null,
    applicantMemberOf: null,
    decision: 'not_started',
    review: null,
    lastEventType: last.payload.type,
    lastEventAt: new Date(last.eventAt).toISOString(),
    eventCount: sorted.length,
  };
  for (const { payload } of sorted) {
    if (OTHER_SUBJECT.test(payload.type)) continue;
    for (const field of STRING_FIELDS) {
      const value = payload[field];
      if (typeof value === 'string') expected[field] = value;
    }
    if (payload.sandboxMode === true || payload.sandboxMode === 'true') expected.sandboxMode = true;
    if (payload.sandboxMode === false || payload.sandboxMode === 'false') expected.sandboxMode = false;
    if (payload.applicantMemberOf !== undefined && payload.applicantMemberOf !== null)
      expected.applicantMemberOf = payload.applicantMemberOf;
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
  expected.decision = decisionOf(expected);
  return expected;
}

/** Expected applicant records from any multiset of deliveries (events without an applicant make none). */
export function referenceFold(deliveries: readonly ParsedWebhook[]): Map<string, ExpectedApplicant> {
  const distinct = new Map(deliveries.map((d) => [d.eventId, d]));
  const byApplicant = new Map<string, ParsedWebhook[]>();
  for (const event of distinct.values()) {
    const id = event.payload.applicantId;
    if (id === undefined) continue;
    byApplicant.set(id, [...(byApplicant.get(id) ?? []), event]);
  }
  return new Map([...byApplicant].map(([id, events]) => [id, foldApplicant(events)]));
}
