import { Type } from '@sinclair/typebox';
import { SafeText } from './common.ts';
import { EventFilterFields } from './events.ts';

export const ReplayOneParams = Type.Object({ eventId: SafeText(64) });

export const ReplayOneResponse = Type.Object({
  eventId: Type.String(),
  status: Type.Union([Type.Literal('replayed'), Type.Literal('already_queued')], {
    description: '`replayed`: re-enqueued; `already_queued`: a job for it is still waiting or running',
  }),
});

export const ReplayFilterBody = Type.Object(
  {
    ...EventFilterFields,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
    dryRun: Type.Optional(
      Type.Boolean({ description: 'answer {matched}: how many events the filters select from the cursor on; replay nothing' }),
    ),
  },
  { additionalProperties: false },
);

export const ReplayDryRunResponse = Type.Object({
  matched: Type.Integer({ description: 'events the filters select (from the cursor on); nothing was replayed' }),
  dryRun: Type.Literal(true),
});

export const ReplayManyResponse = Type.Object({
  matched: Type.Integer({ description: 'events that matched the filters (this page)' }),
  replayed: Type.Integer({ description: 'events re-enqueued' }),
  alreadyQueued: Type.Integer({ description: 'events whose job is still waiting or running' }),
  notReplayable: Type.Integer({ description: 'events without a stored raw body (stripped by retention or erased): nothing to verify' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null when done' }),
});
