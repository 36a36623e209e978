import { Type } from '@sinclair/typebox';
import { ApplicantId, FilterTime, SafeText } from './common.ts';

export const ReplayOneParams = Type.Object({ eventId: SafeText(64) });

export const ReplayOneResponse = Type.Object({
  eventId: Type.String(),
  status: Type.Union([Type.Literal('replayed'), Type.Literal('already_queued')], {
    description: '`replayed`: re-enqueued; `already_queued`: a job for it is still waiting or running',
  }),
});

export const ReplayFilterBody = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('applied'), Type.Literal('failed')])),
    type: Type.Optional(SafeText(256)),
    applicantId: Type.Optional(ApplicantId),
    since: Type.Optional(FilterTime('received at or after (ISO 8601)')),
    until: Type.Optional(FilterTime('received before (ISO 8601)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
    cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
  },
  { additionalProperties: false },
);

export const ReplayManyResponse = Type.Object({
  matched: Type.Integer({ description: 'events that matched the filters (this page)' }),
  replayed: Type.Integer({ description: 'events re-enqueued' }),
  alreadyQueued: Type.Integer({ description: 'events whose job is still waiting or running' }),
  notReplayable: Type.Integer({ description: 'events without a stored raw body (stripped by retention or erased): nothing to verify' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null when done' }),
});
