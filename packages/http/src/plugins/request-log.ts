import { flatRedaction } from '@kyc/runtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Scalars only: the line is flat, so it needs only flatRedaction's top-level names. */
export type LogFields = Record<string, string | number | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Fields a route adds to its one log line (eventId, type, applicantId, outcome...). */
    logFields: LogFields;
  }
}

/**
 * The path of a request without its query string: a query can carry anything a
 * caller typed (a token pasted into a URL, a name used as a filter), so no log line
 * holds one.
 */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return (end < 0 ? url : url.slice(0, end)).slice(0, 200);
}

/**
 * One log line per request, written when the answer has gone out: the route
 * (its pattern; absent for an unknown route) and the path, never the query
 * string. Routes add what an operator needs at 3 a.m.; headers and bodies are
 * never logged, so digests, tokens and clientComment cannot leak through here.
 */
export const requestLogPlugin = fp(
  async (app: FastifyInstance) => {
    // One child for every request line (the request's id is a field of the line):
    // the service's redaction without the wildcard paths, which cost a clone per line.
    const lines = app.log.child({}, { redact: flatRedaction() });
    app.decorateRequest('logFields', null as unknown as LogFields);
    // Callback hooks: an async one costs every request a promise, and these never wait.
    app.addHook('onRequest', (request, _reply, done) => {
      request.logFields = {};
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const line = {
        reqId: request.id,
        method: request.method,
        route: request.routeOptions.url,
        path: pathOf(request.url),
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        ...request.logFields,
      };
      if (reply.statusCode >= 500) lines.error(line, 'request failed');
      else lines.info(line, 'request');
      done();
    });
  },
  { name: 'kyc-request-log' },
);
