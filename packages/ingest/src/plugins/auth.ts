import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';

export type Role = 'read' | 'admin';
export type Tokens = { read?: string | undefined; admin?: string | undefined };

// Hashing first gives both sides one length, so the comparison leaks neither the
// token nor its length.
const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (given: Buffer, token: string | undefined) => token !== undefined && timingSafeEqual(given, digest(token));

/** The role a request's credentials grant: Bearer token, or Basic with the token as password. */
export function roleOf(request: FastifyRequest, tokens: Tokens): Role | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ', 2);
  let token = value.trim();
  if (scheme?.toLowerCase() === 'basic') token = Buffer.from(token, 'base64').toString('utf8').split(':').slice(1).join(':');
  else if (scheme?.toLowerCase() !== 'bearer') return undefined;
  if (!token) return undefined;
  const given = digest(token);
  if (same(given, tokens.admin)) return 'admin';
  if (same(given, tokens.read)) return 'read';
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    role?: Role;
  }
}

/** preHandler that lets through `roles` only: 401 without valid credentials, 403 with too weak ones. */
export function requireRole(tokens: Tokens, roles: readonly Role[], basicRealm?: string): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const role = roleOf(request, tokens);
    if (!role) {
      if (basicRealm) void reply.header('www-authenticate', `Basic realm="${basicRealm}"`);
      return reply.code(401).send({ error: 'unauthorized', message: 'missing or invalid credentials' });
    }
    if (!roles.includes(role)) return reply.code(403).send({ error: 'forbidden', message: `requires the ${roles.join(' or ')} token` });
    request.role = role;
  };
}
