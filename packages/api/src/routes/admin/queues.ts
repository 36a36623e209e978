import { createBullBoard } from '@bull-board/api';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, sendError } from '@kyc/http';
import { type DashboardQueue, type DeliveryLookup, ReadableQueueAdapter } from './dashboard-adapter.ts';

export const DASHBOARD_PATH = '/admin/queues';

// The dashboard reads everything but changes little: a job's data is trusted by
// nobody (the worker verifies its signature), and jobs must not be added, edited,
// delayed, removed while waiting, or queues emptied. Allowed writes: retry and
// promote, and cleaning the failed or completed sets (their events are in
// PostgreSQL). Everything else answers 403.
const Q = '[^/]+';
const ALLOWED_WRITES: readonly RegExp[] = [
  new RegExp(`^/api/queues/${Q}/retry/failed$`),
  new RegExp(`^/api/queues/${Q}/${Q}/retry$`),
  new RegExp(`^/api/queues/${Q}/promote$`),
  new RegExp(`^/api/queues/${Q}/${Q}/promote$`),
  new RegExp(`^/api/queues/${Q}/clean/(failed|completed)$`),
];

/** The path inside the dashboard, without query string. */
const innerPath = (request: FastifyRequest) => (request.url.split('?')[0] ?? '').slice(DASHBOARD_PATH.length);

// Dashboard reads that return jobs' data (raw bodies: names, clientComment) are
// audited like every other read of personal data: the queue list when it carries a
// queue's jobs (activeQueue), and one job with its logs and flow.
const JOB_READS = new Set(['/api/queues/:queueName/:jobId', '/api/queues/:queueName/:jobId/logs', '/api/queues/:queueName/:jobId/flow']);
const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');

/** The audit target of a dashboard read that returns job data; undefined for one that returns none. */
export function dashboardJobRead(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET') return undefined;
  const route = request.routeOptions.url?.slice(DASHBOARD_PATH.length);
  const query = request.query as Record<string, unknown>;
  const params = request.params as Record<string, unknown>;
  if (route === '/api/queues' && query.activeQueue !== undefined) return `jobs of ${text(query.activeQueue)} ${text(query.status)}`.trim();
  if (route !== undefined && JOB_READS.has(route)) return `job ${text(params.queueName)} ${text(params.jobId)}`;
  return undefined;
}

export function isAllowedDashboardRequest(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return method === 'PUT' && ALLOWED_WRITES.some((route) => route.test(path));
}

/**
 * The Bull dashboard, admin token only: `Authorization: Bearer <token>`, or HTTP
 * Basic with the token as password so a browser can log in (Basic is accepted in
 * this scope only). bull-board has no auth of its own, so the hooks guard the
 * whole scope it is mounted in.
 */
export async function dashboardRoutes(
  app: FastifyInstance,
  { queues, deliveries }: { queues: readonly DashboardQueue[]; deliveries: DeliveryLookup },
) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new ReadableQueueAdapter(queue, deliveries)),
    serverAdapter,
    // A failed job opens on its cause, the others on their readable data; bull-board's docs link means nothing to an operator.
    options: { uiConfig: { boardTitle: 'kyc-webhooks', hideDocsLink: true } },
  });
  const authorize = app.authorize(['admin'], { basicRealm: 'kyc-webhooks admin' });
  // bull-board installs its own error handler in its scope, so a refusal is
  // answered here, through the one formatter, instead of thrown.
  app.addHook('onRequest', async function guard(request, reply) {
    try {
      await authorize.call(this, request, reply);
      await app.adminWriteGuard.sameSite(request);
      if (!isAllowedDashboardRequest(request.method, innerPath(request))) {
        throw new Forbidden('the dashboard is read-only but for retry, promote and cleaning failed or completed jobs');
      }
      // Retries, promotions and cleaning are admin actions: audited; so are reads of job data.
      if (request.method !== 'GET' && request.method !== 'HEAD')
        request.audit = { action: 'dashboard', target: `${request.method} ${innerPath(request)}` };
      const read = dashboardJobRead(request);
      if (read !== undefined) request.audit = { action: 'read.dashboard', target: read };
    } catch (error) {
      return sendError(error as Error, request, reply);
    }
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
}
