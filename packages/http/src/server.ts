import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '@kyc/runtime';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

type ErrorSender = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply;

const CLIENT_ERRORS: Record<string, { status: number; error: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: 'request_timeout', message: 'the request did not arrive within REQUEST_TIMEOUT_MS' },
  HPE_HEADER_OVERFLOW: { status: 431, error: 'headers_too_large', message: 'the request headers are too large' },
};

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (a slow client cut
 * by the request timeout, oversized headers, garbage): answered in the same
 * `{error, message}` shape, then the connection is closed.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code && CLIENT_ERRORS[error.code]) || {
    status: 400,
    error: 'bad_request',
    message: 'the request could not be parsed',
  };
  const body = JSON.stringify({ error: known.error, message: known.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Limits that keep slow or hostile clients from holding connections and memory:
 * the whole request must arrive within REQUEST_TIMEOUT_MS (headers within
 * HEADERS_TIMEOUT_MS), checked every half second rather than Node's default 30 s;
 * idle keep-alive sockets close after KEEP_ALIVE_TIMEOUT_MS; bodies over
 * MAX_BODY_BYTES are refused from their Content-Length; ids up to 256 characters
 * fit a route parameter; bodies and queries with unknown fields are refused.
 */
export function serverOptions(config: Config, sendError: ErrorSender) {
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  return {
    bodyLimit: config.MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 512 },
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS + config.KEEP_ALIVE_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    http: { headersTimeout, requestTimeout: config.REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 500 },
    frameworkErrors: sendError,
    clientErrorHandler,
    // An unknown field is a 400, never silently dropped: a misspelt replay filter
    // ("applicantID") must not turn into "replay everything".
    ajv: { customOptions: { removeAdditional: false } },
  };
}
