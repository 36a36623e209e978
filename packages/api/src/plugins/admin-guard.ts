import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CrossSiteRequest, UnsupportedMediaType } from '@kyc/http';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hooks for admin routes that change something. A browser that has
     * the dashboard's login cached can be made to send requests by another site;
     * such requests are refused: they say so (Sec-Fetch-Site: cross-site) or come
     * from another Origin, and a JSON body needs a content type no HTML form can send.
     */
    adminWriteGuard: { sameSite: (request: FastifyRequest) => Promise<void>; jsonBody: (request: FastifyRequest) => Promise<void> };
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

async function sameSite(request: FastifyRequest): Promise<void> {
  if (!UNSAFE.has(request.method)) return;
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new CrossSiteRequest('cross-site requests are refused on admin routes');
  const origin = request.headers.origin;
  if (origin !== undefined && originHost(origin) !== request.headers.host) {
    throw new CrossSiteRequest(`Origin ${origin.slice(0, 100)} is not this service's own`);
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes no body (an action on its URL alone): a POST without any body needs no content type. */
    bodiless?: boolean;
  }
}

/** A request to a bodiless route that carries no body at all, and says nothing about one. */
const bodiless = (request: FastifyRequest) =>
  request.routeOptions.config.bodiless === true &&
  request.headers['content-type'] === undefined &&
  request.headers['transfer-encoding'] === undefined &&
  (request.headers['content-length'] === undefined || request.headers['content-length'] === '0');

async function jsonBody(request: FastifyRequest): Promise<void> {
  if (!UNSAFE.has(request.method) || request.method === 'DELETE' || bodiless(request)) return;
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaType('admin routes take Content-Type: application/json');
}

export const adminGuardPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('adminWriteGuard', { sameSite, jsonBody });
  },
  { name: 'kyc-admin-guard', dependencies: ['kyc-errors'] },
);
