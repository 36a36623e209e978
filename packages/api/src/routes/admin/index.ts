import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidJson } from '@kyc/http';
import type { Sql } from '@kyc/db/plain';
import type { NotificationQueue } from '../../services/notifications.ts';
import type { Replayer } from '../../services/replay.ts';
import type { SumsubApiQueue } from '../../services/sumsub-api.ts';
import { endpointRoutes } from './endpoints.ts';
import { notificationRoutes } from './notifications.ts';
import { replayRoutes } from './replay.ts';
import { sumsubRoutes } from './sumsub.ts';
import { erasureRoutes } from './erasure.ts';
import type { ErasureQueues } from '@kyc/erasure';
import type { ShownQueues } from '../../services/applicant-jobs.ts';
import { jobRoutes } from './jobs.ts';

export type AdminDeps = {
  replayer: Replayer;
  sql: Sql;
  notifications: NotificationQueue;
  /** Undefined when no Sumsub API token is configured. */
  sumsub: SumsubApiQueue | undefined;
  allowPrivateEndpoints: boolean;
  /** Every queue an applicant's jobs can be in (erasure, expiry). */
  erasureQueues: () => ErasureQueues;
  /** Every queue the dashboard shows (jobs by applicant). */
  shownQueues: ShownQueues;
};

/**
 * Every JSON admin route, in one scope: the admin token (Bearer only), refused
 * when cross-site, and a JSON content type for any body (no HTML form can send
 * one). An empty JSON body is no body.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<AdminDeps> = async (app, deps) => {
  app.addHook('onRequest', app.authorize(['admin']));
  app.addHook('onRequest', app.adminWriteGuard.sameSite);
  app.addHook('onRequest', app.adminWriteGuard.jsonBody);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      done(new InvalidJson(`body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  await app.register(replayRoutes, deps);
  await app.register(endpointRoutes, { sql: deps.sql, allowPrivate: deps.allowPrivateEndpoints });
  await app.register(notificationRoutes, deps);
  await app.register(sumsubRoutes, deps);
  await app.register(erasureRoutes, { sql: deps.sql, queues: deps.erasureQueues });
  await app.register(jobRoutes, { sql: deps.sql, queues: deps.shownQueues });
};
