import { type Static, Type } from '@sinclair/typebox';

// Fields Sumsub documents. Unknown fields are kept as received (additionalProperties),
// and several documented fields arrive as explicit nulls in real payloads.
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableStrings = Type.Union([Type.Array(Type.String()), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 256 });

export const ReviewResultSchema = Type.Object(
  {
    reviewAnswer: Type.Optional(NullableString),
    rejectLabels: Type.Optional(NullableStrings),
    reviewRejectType: Type.Optional(NullableString),
    buttonIds: Type.Optional(NullableStrings),
    moderationComment: Type.Optional(NullableString),
    clientComment: Type.Optional(NullableString),
  },
  { additionalProperties: true },
);

export const SumsubWebhookSchema = Type.Object(
  {
    type: Id,
    applicantId: Id,
    correlationId: Type.String({ maxLength: 256 }),
    createdAtMs: Type.Optional(NullableString),
    createdAt: Type.Optional(NullableString),
    inspectionId: Type.Optional(NullableString),
    externalUserId: Type.Optional(NullableString),
    applicantType: Type.Optional(NullableString),
    levelName: Type.Optional(NullableString),
    previousLevelName: Type.Optional(NullableString),
    clientId: Type.Optional(NullableString),
    sandboxMode: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    reviewStatus: Type.Optional(NullableString),
    reviewResult: Type.Optional(Type.Union([ReviewResultSchema, Type.Null()])),
  },
  { additionalProperties: true, $id: 'SumsubWebhook' },
);

export type SumsubWebhook = Static<typeof SumsubWebhookSchema>;
export type ReviewResult = Static<typeof ReviewResultSchema>;
