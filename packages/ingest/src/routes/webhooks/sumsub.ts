import { DIGEST_ALGORITHMS, isParseFailure, parseWebhook, verifySignature } from '@kyc/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../schemas/errors.ts';
import { WebhookAccepted, WebhookHeaders } from '../../schemas/webhook.ts';
import { type EventEnqueuer, QueueUnavailableError } from '../../services/event-enqueuer.ts';

export type SumsubWebhookOptions = { enqueuer: EventEnqueuer; secrets: readonly string[]; retryAfterSeconds: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * POST /webhooks/sumsub: verify the HMAC over the raw bytes, validate, enqueue,
 * answer. The body parser is scoped to this plugin and hands over the raw
 * Buffer, so the signature is never checked against re-serialised JSON.
 */
export const sumsubWebhookRoutes: FastifyPluginAsyncTypebox<SumsubWebhookOptions> = async (
  app,
  { enqueuer, secrets, retryAfterSeconds },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/webhooks/sumsub',
    {
      schema: {
        summary: 'Receive a Sumsub webhook',
        description: `Verifies X-Payload-Digest (${Object.keys(DIGEST_ALGORITHMS).join(', ')}) over the raw body, validates the payload, stores it in the queue and answers only once Redis holds it.`,
        tags: ['webhooks'],
        headers: WebhookHeaders,
        consumes: ['application/json'],
        response: {
          200: WebhookAccepted,
          400: ErrorResponse,
          401: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const raw = request.body as Buffer;
      const signature = verifySignature(
        raw,
        header(request.headers['x-payload-digest']),
        header(request.headers['x-payload-digest-alg']),
        secrets,
      );
      if (!signature.ok) {
        request.logFields.outcome = `rejected_${signature.reason}`;
        return reply.code(401).send({ error: 'invalid_signature', message: signature.message });
      }
      let text: string;
      try {
        text = utf8.decode(raw);
      } catch {
        request.logFields.outcome = 'rejected_invalid_utf8';
        return reply.code(400).send({ error: 'invalid_json', message: 'body is not valid UTF-8' });
      }
      const parsed = parseWebhook(text);
      if (isParseFailure(parsed)) {
        Object.assign(request.logFields, { outcome: `rejected_${parsed.error}`, algorithm: signature.algorithm });
        return reply.code(400).send(parsed);
      }
      const { eventId, payload } = parsed;
      Object.assign(request.logFields, { eventId, type: payload.type, applicantId: payload.applicantId, algorithm: signature.algorithm });
      try {
        const status = await enqueuer.enqueue(parsed, {
          rawBody: text,
          digest: String(header(request.headers['x-payload-digest'])),
          digestAlgorithm: signature.algorithm,
        });
        request.logFields.outcome = status;
        return reply.code(200).send({ status, eventId });
      } catch (error) {
        if (!(error instanceof QueueUnavailableError)) throw error;
        request.logFields.outcome = 'unavailable';
        request.log.warn({ eventId, err: error.message }, 'queue unavailable; answered 503');
        return reply
          .code(503)
          .header('retry-after', String(retryAfterSeconds))
          .send({ error: 'queue_unavailable', message: 'the event could not be stored; retry later' });
      }
    },
  );
};
