import { recordAudit, type Sql } from '@kyc/db/plain';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** What a request did, for the audit log: set by the route (or the dashboard scope) that acts or reads. */
export type AuditAction = { action: string; target?: string | undefined };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a route that is an admin action or returns clientComment; written before the answer goes out. */
    audit: AuditAction | null;
  }
}

/**
 * Who did what: every admin action, and every read that returns clientComment,
 * becomes an audit_log row (time, actor: the token's name, action, target,
 * outcome: the status and what the route reported) and an `audit` log line. A
 * request refused before it acted (401, 403, 400) acted on nothing and is not audited.
 * The row is written in onSend, before the answer leaves: once a caller has
 * seen an action's answer, its audit row is readable (onResponse left a window).
 */
export const auditPlugin = fp<{ sql: Sql }>(
  async (app: FastifyInstance, { sql }) => {
    // Every request starts with null (the decorator's value); only a route that acts or reads sets it.
    app.decorateRequest('audit', null);
    // A callback hook, not an async one: the webhook path (never audited) passes straight through.
    app.addHook('onSend', (request, reply, payload, done) => {
      const audit = request.audit;
      if (!audit || !request.principal) {
        done(null, payload);
        return;
      }
      request.audit = null;
      const reported = request.logFields.outcome;
      const entry = {
        actor: request.principal.name,
        action: audit.action,
        target: audit.target ?? null,
        outcome: reported === undefined ? String(reply.statusCode) : `${reply.statusCode} ${reported}`,
      };
      request.log.info({ audit: entry }, 'audit');
      recordAudit(sql, entry)
        .catch((error: unknown) => request.log.error({ err: error, audit: entry }, 'audit row not written'))
        .finally(() => done(null, payload));
    });
  },
  { name: 'kyc-audit', dependencies: ['kyc-request-log', 'kyc-auth'] },
);
