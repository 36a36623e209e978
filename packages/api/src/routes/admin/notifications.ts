import { type DeliveryRow, listDeliveries, replayDeliveries, type Sql } from '@kyc/db/plain';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import { denied, ErrorResponse, security } from '@kyc/http';
import {
  type DeliveryResponse,
  NotificationReplayBody,
  NotificationReplayResponse,
  NotificationsQuery,
  NotificationsResponse,
} from '../../schemas/notifications.ts';
import { decodeIdCursor, encodeCursor } from '../../services/cursor.ts';
import type { NotificationQueue } from '../../services/notifications.ts';

function toDeliveryResponse(row: DeliveryRow): Static<typeof DeliveryResponse> {
  return { ...row, createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null };
}

/** The delivery log and dead-letter replay of notifications (inside the admin scope). */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ sql: Sql; notifications: NotificationQueue }> = async (
  app,
  { sql, notifications },
) => {
  app.get(
    '/admin/notifications',
    {
      schema: {
        summary: 'Notification deliveries, e.g. the given-up ones (status=failed)',
        description: 'One row per notification and endpoint, in creation order; never the message itself (personal data).',
        tags: ['notifications'],
        security,
        querystring: NotificationsQuery,
        response: { 200: NotificationsResponse, 400: ErrorResponse, ...denied },
      },
    },
    async (request) => {
      const { limit = 100, cursor, ...filter } = request.query;
      const rows = await listDeliveries(sql, filter, limit, cursor ? decodeIdCursor(cursor) : undefined);
      const last = rows[rows.length - 1];
      return { notifications: rows.map(toDeliveryResponse), nextCursor: rows.length === limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.post(
    '/admin/notifications/replay',
    {
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Send given-up (and cancelled) notifications again',
        description:
          'Deliveries of enabled endpoints that match become pending and are sent again, in version order per applicant, with their original webhook-id.',
        tags: ['notifications'],
        security,
        body: NotificationReplayBody,
        response: { 200: NotificationReplayResponse, 400: ErrorResponse, ...denied, 415: ErrorResponse },
      },
    },
    async (request) => {
      const { limit = 1000, ...filter } = request.body;
      request.audit = { action: 'notification.replay', target: JSON.stringify(filter) };
      const { replayed, heads } = await replayDeliveries(sql, filter, limit);
      // Were this lost (Redis down now), the worker's sweep queues the heads within a minute.
      await notifications
        .enqueue(heads)
        .catch((error: unknown) => request.log.warn({ err: error }, 'replayed deliveries not queued now; the sweep will'));
      request.logFields.outcome = `replayed ${replayed}`;
      return { replayed };
    },
  );
};
