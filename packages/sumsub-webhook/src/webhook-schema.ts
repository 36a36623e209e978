import { type Static, Type } from '@sinclair/typebox';

// Tolerant where we only store, strict where we decide. The fields the merge
// reads (packages/db/sql) are validated here, so a bad one is a 400 that names
// it; every other field is kept exactly as received, whatever its type. Several
// documented fields arrive as explicit nulls in real payloads.
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
    // Transaction-monitoring events may name no applicant (applicantKytTxnCreated).
    applicantId: Type.Optional(Id),
    correlationId: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    createdAtMs: Type.Optional(NullableString),
    createdAt: Type.Optional(NullableString),
    inspectionId: Type.Optional(NullableString),
    externalUserId: Type.Optional(NullableString),
    applicantType: Type.Optional(NullableString),
    levelName: Type.Optional(NullableString),
    clientId: Type.Optional(NullableString),
    // Sumsub's published examples send "false" as a string as well as a boolean.
    sandboxMode: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false'), Type.Null()])),
    reviewStatus: Type.Optional(NullableString),
    reviewMode: Type.Optional(NullableString),
    reviewResult: Type.Optional(Type.Union([ReviewResultSchema, Type.Null()])),
    kytTxnId: Type.Optional(NullableString),
    kytDataTxnId: Type.Optional(NullableString),
  },
  { additionalProperties: true, $id: 'SumsubWebhook' },
);

export type SumsubWebhook = Static<typeof SumsubWebhookSchema> & { applicantMemberOf?: unknown };
export type ReviewResult = Static<typeof ReviewResultSchema>;
