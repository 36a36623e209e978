import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { counter } from '@kyc/runtime';
import { BasicChallenge, Forbidden, Unauthorized } from '@kyc/http';
import type { Tokens } from '@kyc/runtime';

export type Role = 'read' | 'admin';
export type Principal = { role: Role; name: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the credentials name, once an authorize hook let the request through. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** An onRequest hook that lets through `roles` only: 401 without valid credentials, 403 with too weak ones. */
    authorize(roles: readonly Role[], options?: { basicRealm?: string }): onRequestAsyncHookHandler;
  }
}

// Hashing first gives both sides one length, so the comparison leaks neither the
// token nor its length.
const digest = (value: string) => createHash('sha256').update(value).digest();

// RFC 6750 b64token: one scheme, one space, one token, nothing after it.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;
const BASIC = /^Basic ([A-Za-z0-9+/]+=*)$/;

function bearerToken(header: string): string | undefined {
  return BEARER.exec(header)?.[1];
}

/** The password of Basic credentials (the user name is ignored: the dashboard logs in with the token). */
function basicPassword(header: string): string | undefined {
  const encoded = BASIC.exec(header)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}

function principalOf(token: string, tokens: Tokens): Principal | undefined {
  const given = digest(token);
  // Every candidate is compared, so timing does not tell which list matched.
  let found: Principal | undefined;
  for (const role of ['admin', 'read'] as const) {
    for (const named of tokens[role]) {
      if (timingSafeEqual(given, digest(named.token)) && !found) found = { role, name: named.name };
    }
  }
  return found;
}

/** Why a request was refused: no credentials, ones that match no token, or a token of too weak a role. */
type FailureReason = 'missing' | 'invalid' | 'forbidden';

function failureReason(header: string, principal: Principal | undefined): FailureReason {
  if (principal) return 'forbidden';
  return header === '' ? 'missing' : 'invalid';
}

/**
 * Credentials: `Authorization: Bearer <token>` everywhere; HTTP Basic (token as
 * password) only where a browser must log in (the dashboard), so a cached Basic
 * login cannot be used against the JSON admin routes. Refusals are counted
 * (kyc_auth_failures_total{reason}), never audited row by row: a guessing client
 * must not be able to fill the audit log.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, { tokens, registry }: { tokens: Tokens; registry: Registry }) => {
    const failures = counter(registry, {
      name: 'kyc_auth_failures_total',
      help: 'Requests refused by the API token check: missing or invalid credentials (401), a token of too weak a role (403)',
      labelNames: ['reason'],
    });
    app.decorateRequest('principal', null);
    app.decorate('authorize', (roles: readonly Role[], options: { basicRealm?: string } = {}) => {
      return async (request: FastifyRequest) => {
        const header = request.headers.authorization ?? '';
        const token = bearerToken(header) ?? (options.basicRealm ? basicPassword(header) : undefined);
        const principal = token === undefined ? undefined : principalOf(token, tokens);
        if (!principal || !roles.includes(principal.role)) failures.inc({ reason: failureReason(header, principal) });
        if (!principal) {
          if (options.basicRealm) throw new BasicChallenge(options.basicRealm);
          throw new Unauthorized('missing or invalid credentials');
        }
        if (!roles.includes(principal.role)) throw new Forbidden(`requires the ${roles.join(' or ')} token`);
        request.principal = principal;
        request.logFields.actor = principal.name;
      };
    });
  },
  { name: 'kyc-auth', dependencies: ['kyc-request-log'] },
);
