import { DECISIONS } from '@kyc/db/plain';
import { Type } from '@sinclair/typebox';
import { AccountName, ApplicantId, FilterTime, SafeText } from './common.ts';
import { Rejection, RejectionClarification } from './rejection.ts';

const Time = Type.String({ format: 'date-time', description: 'ISO 8601 UTC with milliseconds' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ApplicantParams = Type.Object({ applicantId: ApplicantId });

export const Decision = Type.Union(
  DECISIONS.map((d) => Type.Literal(d)),
  { description: 'What the record means for onboarding; a pure function of the record (see the README table)' },
);

export const ReviewResponse = Type.Object({
  reviewAnswer: NullableString,
  rejectLabels: Type.Array(Type.String()),
  reviewRejectType: NullableString,
  buttonIds: Type.Array(Type.String()),
  moderationComment: NullableString,
  clientComment: Type.Optional(NullableString),
});

export const ApplicantResponse = Type.Object({
  applicantId: Type.String(),
  account: Type.String({
    description:
      'The Sumsub account the applicant belongs to: the one that first reported it (`default`: the unprefixed SUMSUB_* variables)',
  }),
  externalUserId: NullableString,
  inspectionId: NullableString,
  applicantType: NullableString,
  levelName: NullableString,
  clientId: NullableString,
  sandboxMode: Type.Union([Type.Boolean(), Type.Null()]),
  reviewStatus: NullableString,
  reviewMode: Type.Union([Type.String(), Type.Null()], { description: "Sumsub's reviewMode (e.g. ongoingAml) when an event carried one" }),
  applicantMemberOf: Type.Unknown({ description: "Sumsub's applicantMemberOf (company beneficiaries link) as received; null when none" }),
  decision: Decision,
  decisionChangedAt: Type.Union([Time, Type.Null()], {
    description: 'When this service recorded the current decision; null before the first change',
  }),
  version: Type.Integer({ description: 'Grows with every notified change (decision, or the visible review under the same decision)' }),
  review: Type.Union([ReviewResponse, Type.Null()], {
    description:
      'Review of the newest completed event; null before one, or after a newer applicantReset. clientComment only for the admin token.',
  }),
  rejection: Type.Union([Rejection, Type.Null()], {
    description:
      "The visible review's rejection explained (labels and button ids with category and description); null unless that review is RED",
  }),
  lastEventType: Type.String(),
  lastEventAt: Time,
  createdAt: Time,
  updatedAt: Time,
});

export const DocumentResponse = Type.Object({
  step: Type.String({ description: "Sumsub's step id: IDENTITY, SELFIE, PROOF_OF_RESIDENCE, COMPANY…" }),
  idDocType: NullableString,
  country: NullableString,
  imageId: Type.Union([Type.String(), Type.Null()], { description: 'null: the result of the step as a whole' }),
  reviewAnswer: NullableString,
  rejectLabels: Type.Array(Type.String()),
  reviewRejectType: NullableString,
  moderationComment: Type.Union([Type.String(), Type.Null()], { description: 'may be shown to the applicant (Sumsub)' }),
  clientComment: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'not for the applicant: admin token only' })),
  buttonIds: Type.Array(Type.String()),
});

/** One applicant as GET /applicants/:applicantId shows it: the record and its document-level results. */
export const ApplicantDetailResponse = Type.Composite([
  ApplicantResponse,
  Type.Object({
    documents: Type.Array(DocumentResponse, {
      description: "Sumsub's document-level results for the visible review (fetched from its API after a RED review); empty when none",
    }),
    documentsFetchedAt: Type.Union([Time, Type.Null()], { description: 'when those results were fetched; null when there are none' }),
    rejectionClarification: Type.Union([RejectionClarification, Type.Null()], {
      description: "Sumsub's rejection clarification for the visible review (fetched from its API after a RED review); null when none",
    }),
  }),
]);

export const ApplicantEvent = Type.Object({
  eventId: Type.String(),
  type: Type.String(),
  correlationId: NullableString,
  createdAt: Time,
  receivedAt: Time,
  processedAt: Type.Union([Time, Type.Null()]),
  status: Type.Union([Type.Literal('applied'), Type.Literal('failed'), Type.Literal('wrong_account')], {
    description: '`wrong_account`: signed by a Sumsub account that does not own the applicant; kept, never applied',
  }),
  source: Type.String({ description: 'webhook, or reconcile (read back from the Sumsub API)' }),
  account: Type.String({ description: 'The Sumsub account whose webhook (or API credentials) it came through' }),
  reviewStatus: NullableString,
  reviewAnswer: NullableString,
});

export const DocumentFetch = Type.Object({
  fetchedAt: Time,
  documents: Type.Integer({ description: 'results in the answer' }),
  outcome: Type.String({ description: 'stored, older (a newer review was kept), no_review' }),
});

export const ApplicantEventsResponse = Type.Object({
  events: Type.Array(ApplicantEvent),
  documentFetches: Type.Array(DocumentFetch, { description: "when document results were read from Sumsub's API, oldest first" }),
});

export const ChangeFeedQuery = Type.Object(
  {
    updatedSince: Type.Optional(FilterTime('only records updated at or after (ISO 8601)')),
    decision: Type.Optional(Decision),
    account: Type.Optional(AccountName),
    cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

export const ChangeFeedResponse = Type.Object({
  applicants: Type.Array(ApplicantResponse),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description:
      'where this page ended: keep it and pass it as cursor to continue, now or after downtime; null only when nothing matched yet',
  }),
  hasMore: Type.Boolean({ description: 'more changes are listed now; false: caught up (poll again later with nextCursor)' }),
});
