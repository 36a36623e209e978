import { Type } from '@sinclair/typebox';
import { ApplicantEvent } from './applicant.ts';
import { AccountName, ApplicantId, FilterTime, SafeText } from './common.ts';

/** The filters event listing and replay share: one schema, so both select the same events. */
export const EventFilterFields = {
  status: Type.Optional(Type.Union([Type.Literal('applied'), Type.Literal('failed'), Type.Literal('wrong_account')])),
  type: Type.Optional(SafeText(256)),
  applicantId: Type.Optional(ApplicantId),
  source: Type.Optional(Type.Union([Type.Literal('webhook'), Type.Literal('reconcile')])),
  account: Type.Optional(AccountName),
  since: Type.Optional(FilterTime('received at or after (ISO 8601)')),
  until: Type.Optional(FilterTime('received before (ISO 8601)')),
  cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
};

export const EventsQuery = Type.Object(
  { ...EventFilterFields, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) },
  { additionalProperties: false },
);

export const StoredEventResponse = Type.Composite([
  ApplicantEvent,
  Type.Object({
    applicantId: Type.Union([Type.String(), Type.Null()]),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    payload: Type.Unknown({ description: 'as stored (null once stripped by retention); holds names and clientComment: admin only' }),
  }),
]);

export const EventsResponse = Type.Object({
  events: Type.Array(StoredEventResponse),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null when done' }),
});
