import { Type } from '@sinclair/typebox';
import { ApplicantId } from './common.ts';

const Time = Type.String({ format: 'date-time', description: 'ISO 8601 UTC with milliseconds' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ApplicantParams = Type.Object({ applicantId: ApplicantId });

export const DECISIONS = ['approved', 'rejected_retry', 'rejected_final', 'on_hold', 'pending', 'not_started'] as const;
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
  lastEventType: Type.String(),
  lastEventAt: Time,
  createdAt: Time,
  updatedAt: Time,
});

export const ApplicantEvent = Type.Object({
  eventId: Type.String(),
  type: Type.String(),
  correlationId: NullableString,
  createdAt: Time,
  receivedAt: Time,
  processedAt: Type.Union([Time, Type.Null()]),
  status: Type.Union([Type.Literal('applied'), Type.Literal('failed')]),
  source: Type.String({ description: 'webhook, or reconcile (read back from the Sumsub API)' }),
  reviewStatus: NullableString,
  reviewAnswer: NullableString,
});

export const ApplicantEventsResponse = Type.Object({ events: Type.Array(ApplicantEvent) });
