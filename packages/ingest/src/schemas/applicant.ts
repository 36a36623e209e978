import { Type } from '@sinclair/typebox';

const Time = Type.String({ format: 'date-time', description: 'ISO 8601 UTC with milliseconds' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ApplicantParams = Type.Object({ applicantId: Type.String({ minLength: 1, maxLength: 256 }) });

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
  correlationId: Type.String(),
  createdAt: Time,
  receivedAt: Time,
  processedAt: Type.Union([Time, Type.Null()]),
  status: Type.Union([Type.Literal('applied'), Type.Literal('failed')]),
  reviewStatus: NullableString,
  reviewAnswer: NullableString,
});

export const ApplicantEventsResponse = Type.Object({ events: Type.Array(ApplicantEvent) });
