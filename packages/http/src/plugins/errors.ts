import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.ts';
import { pathOf } from './request-log.ts';

// Fastify's own errors (body parsing, validation, routing) in the same shape.
// Whatever a client sent is a 4xx; only our own faults are 500, which never echo internals.
const FRAMEWORK: Record<string, { status: number; error: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'invalid_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'invalid_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid_json' },
  FST_ERR_BAD_URL: { status: 400, error: 'invalid_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, error: 'uri_too_long' },
};

/** The one place an error becomes an answer: status, `{error, message}` (and extra fields), and the log line. */
export function sendError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) {
    request.logFields.error = error.code;
    if (error.statusCode >= 500) request.log.warn({ err: error.cause ?? error, error: error.code }, error.message);
    return reply
      .code(error.statusCode)
      .headers(error.headers)
      .send({ error: error.code, message: error.message, ...error.extra });
  }
  const fastifyError = error as FastifyError;
  const known = fastifyError.code ? FRAMEWORK[fastifyError.code] : undefined;
  if (known) return reply.code(known.status).send({ error: known.error, message: error.message });
  if (fastifyError.validation) return reply.code(400).send({ error: 'invalid_request', message: error.message });
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send({ error: 'bad_request', message: error.message });
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ error: 'internal_error', message: 'internal error; nothing was acknowledged' });
}

/** Every error leaves as `{error, message}`, including unknown routes. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler(sendError);
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${pathOf(request.url)}` }),
    );
  },
  { name: 'kyc-errors', dependencies: ['kyc-request-log'] },
);
