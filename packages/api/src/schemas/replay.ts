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
  replayed: Type.Integer({
    description: 'events re-enqueued (queued again, not yet run: follow them with GET /admin/events/{eventId}/job)',
  }),
  replayedEventIds: Type.Array(Type.String(), { description: 'the events re-enqueued, in receipt order' }),
  alreadyQueued: Type.Integer({ description: 'events whose job is still waiting or running' }),
  notReplayable: Type.Integer({ description: 'events without a stored raw body (stripped by retention or erased): nothing to verify' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null when done' }),
});

export const EventJobResponse = Type.Object({
  eventId: Type.String(),
  status: Type.String({ description: "the event's status in the database: applied or failed" }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'the last failure recorded in the database, in one line' }),
  job: Type.Union(
    [
      Type.Object({
        state: Type.String({ description: 'waiting, active, delayed, completed, failed...' }),
        attempts: Type.Integer(),
        outcome: Type.Union([Type.String(), Type.Null()], { description: 'when completed: applied, stale, duplicate or erased' }),
        failureCause: Type.Union([Type.String(), Type.Null()], { description: 'when failed: the cause in one line' }),
      }),
      Type.Null(),
    ],
    { description: 'its job in Redis; null when there is none (finished and removed, or never queued)' },
  ),
});
