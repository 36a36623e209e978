import { isApplicantStateEvent, type SumsubWebhook } from '@kyc/contracts';

// The applicant record is a pure function of the *set* of distinct events: every
// field remembers the order key of the event that set it, and an event only wins
// where its key is newer. Merging is therefore commutative and idempotent, so
// duplicates, late and shuffled deliveries all end in the same record.

export const IDENTITY_FIELDS = [
  'externalUserId',
  'inspectionId',
  'applicantType',
  'levelName',
  'clientId',
  'sandboxMode',
  'reviewStatus',
] as const;
type IdentityField = (typeof IDENTITY_FIELDS)[number];

export type Review = {
  reviewAnswer: string | null;
  rejectLabels: string[];
  reviewRejectType: string | null;
  buttonIds: string[];
  moderationComment: string | null;
  clientComment: string | null;
};

/** Order keys of what last set each field; `review` and `reset` track the review rule. */
export type Versions = Partial<Record<IdentityField | 'lastEvent' | 'review' | 'reset', string>>;

export type ApplicantState = {
  applicantId: string;
  externalUserId: string | null;
  inspectionId: string | null;
  applicantType: string | null;
  levelName: string | null;
  clientId: string | null;
  sandboxMode: boolean | null;
  reviewStatus: string | null;
  review: Review | null;
  lastEventType: string;
  lastEventAt: number;
  versions: Versions;
};

export type MergeableEvent = { eventId: string; eventAt: number; payload: SumsubWebhook };

/**
 * Total order of events: event time, then event id (a fixed, arbitrary tie-break).
 * ISO strings of 4-digit years sort like the times they name.
 */
export function orderKey(event: { eventId: string; eventAt: number }): string {
  return `${new Date(event.eventAt).toISOString()}|${event.eventId}`;
}

const newer = (key: string, than: string | undefined) => than === undefined || key > than;

export function reviewOf(payload: SumsubWebhook): Review | null {
  const result = payload.reviewResult;
  if (payload.reviewStatus !== 'completed' || !result) return null;
  return {
    reviewAnswer: result.reviewAnswer ?? null,
    rejectLabels: result.rejectLabels ?? [],
    reviewRejectType: result.reviewRejectType ?? null,
    buttonIds: result.buttonIds ?? [],
    moderationComment: result.moderationComment ?? null,
    clientComment: result.clientComment ?? null,
  };
}

function emptyState(event: MergeableEvent): ApplicantState {
  return {
    applicantId: event.payload.applicantId,
    externalUserId: null,
    inspectionId: null,
    applicantType: null,
    levelName: null,
    clientId: null,
    sandboxMode: null,
    reviewStatus: null,
    review: null,
    lastEventType: event.payload.type,
    lastEventAt: event.eventAt,
    versions: {},
  };
}

function mergeIdentity(state: ApplicantState, payload: SumsubWebhook, key: string): void {
  for (const field of IDENTITY_FIELDS) {
    const value = payload[field];
    if (value === undefined || value === null || !newer(key, state.versions[field])) continue;
    (state as Record<IdentityField, unknown>)[field] = value;
    state.versions[field] = key;
  }
}

function mergeReview(state: ApplicantState, payload: SumsubWebhook, key: string): void {
  const review = reviewOf(payload);
  if (review && newer(key, state.versions.review)) {
    state.versions.review = key;
    state.review = review;
  }
  if (payload.type === 'applicantReset' && newer(key, state.versions.reset)) state.versions.reset = key;
  // A reset newer than the review hides it. Only a newer review can show one again,
  // and it brings its own content, so a hidden review need not be kept.
  const { review: reviewKey, reset } = state.versions;
  if (reviewKey === undefined || (reset !== undefined && reset > reviewKey)) state.review = null;
}

export type MergeResult = { state: ApplicantState; stale: boolean };

/** Applies one event to the current state (or creates it). Never mutates `current`. */
export function mergeEvent(current: ApplicantState | undefined, event: MergeableEvent): MergeResult {
  const state: ApplicantState = current
    ? { ...current, review: current.review && { ...current.review }, versions: { ...current.versions } }
    : emptyState(event);
  const key = orderKey(event);
  const stale = current !== undefined && !newer(key, current.versions.lastEvent);
  if (newer(key, state.versions.lastEvent)) {
    state.lastEventType = event.payload.type;
    state.lastEventAt = event.eventAt;
    state.versions.lastEvent = key;
  }
  if (isApplicantStateEvent(event.payload.type)) {
    mergeIdentity(state, event.payload, key);
    mergeReview(state, event.payload, key);
  }
  return { state, stale };
}
