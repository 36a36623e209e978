import { Type } from '@sinclair/typebox';
import { ApplicantId, FilterTime, SafeText } from './common.ts';

const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
const DeliveryStatus = Type.Union(
  DELIVERY_STATUSES.map((s) => Type.Literal(s)),
  { description: 'failed: given up after NOTIFY_ATTEMPTS (a dead letter); cancelled: its endpoint was disabled or removed' },
);

export const NotificationsQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatus),
    endpointId: Type.Optional(SafeText(64)),
    applicantId: Type.Optional(ApplicantId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
  },
  { additionalProperties: false },
);

export const DeliveryResponse = Type.Object({
  id: Type.String(),
  messageId: Type.String({ description: 'the webhook-id header: the same on every attempt' }),
  endpointId: Type.String(),
  applicantId: Type.String(),
  version: Type.Integer(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt; null when none arrived' }),
  lastError: Nullable(Type.String()),
  createdAt: Time,
  finishedAt: Nullable(Time),
});

export const NotificationsResponse = Type.Object({
  notifications: Type.Array(DeliveryResponse),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null when done' }),
});

export const NotificationReplayBody = Type.Object(
  {
    endpointId: Type.Optional(SafeText(64)),
    applicantId: Type.Optional(ApplicantId),
    status: Type.Optional(Type.Union([Type.Literal('failed'), Type.Literal('cancelled')], { description: 'default: both' })),
    since: Type.Optional(FilterTime('created at or after (ISO 8601)')),
    until: Type.Optional(FilterTime('created before (ISO 8601)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  },
  { additionalProperties: false },
);

export const NotificationReplayResponse = Type.Object({
  replayed: Type.Integer({ description: 'deliveries made pending again (each is sent as a new job, same webhook-id)' }),
});
