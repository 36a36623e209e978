import { Type } from '@sinclair/typebox';
import { FilterTime, SafeText } from './common.ts';

export const ErasureResponse = Type.Object({
  applicantId: Type.String(),
  erasedAt: Type.String({ format: 'date-time', description: 'the first erasure of this applicant' }),
  events: Type.Integer({ description: 'event rows removed (with their payloads and raw bodies)' }),
  jobs: Type.Integer({ description: 'Redis jobs removed, in every state and queue' }),
});

export const EraseQuery = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({
        description:
          'erase an id with no record and no event (a deletion ordered before the first event arrived); without it such an id answers 404',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PurgeBody = Type.Object(
  { olderThanDays: Type.Integer({ minimum: 1, maximum: 36_500, description: 'strip what was received more than this many days ago' }) },
  { additionalProperties: false },
);

export const PurgeResponse = Type.Object({
  events: Type.Integer({ description: 'events whose payload and raw body were stripped' }),
  notifications: Type.Integer({ description: 'notification bodies emptied (nothing left to deliver)' }),
  jobs: Type.Integer({ description: 'finished Redis jobs removed' }),
  horizon: Type.String({ format: 'date-time' }),
});

export const AuditQuery = Type.Object(
  {
    since: Type.Optional(FilterTime('at or after (ISO 8601)')),
    actor: Type.Optional(SafeText(64)),
    action: Type.Optional(SafeText(64)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
  },
  { additionalProperties: false },
);

export const AuditResponse = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String({ format: 'date-time' }),
      actor: Type.String({ description: "the token's name (API_ADMIN_TOKENS), or sumsub:<event type>, or scheduler" }),
      action: Type.String(),
      target: Type.Union([Type.String(), Type.Null()]),
      outcome: Type.String(),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
