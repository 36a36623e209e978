import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { requireRole, type Tokens } from '../../plugins/auth.ts';
import type { EventQueue } from '../../services/event-enqueuer.ts';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * The Bull dashboard, admin token only: `Authorization: Bearer <token>`, or HTTP
 * Basic with the token as password so a browser can log in. bull-board has no
 * auth of its own, so the hook guards the whole scope it is mounted in.
 */
export async function dashboardRoutes(app: FastifyInstance, { queue, tokens }: { queue: EventQueue; tokens: Tokens }) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(queue, { allowRetries: true })],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'kyc-webhooks' } },
  });
  app.addHook('onRequest', requireRole(tokens, ['admin'], 'kyc-webhooks admin'));
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
