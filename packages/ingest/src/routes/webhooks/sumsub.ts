import {
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  eventTypeLabel,
  futureTimeError,
  isParseFailure,
  parseWebhook,
  verifySignature,
} from '@kyc/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { InvalidJson, InvalidPayload, InvalidSignature, ErrorResponse } from '@kyc/http';
import { WebhookAccepted, WebhookHeaders } from '../../schemas/webhook.ts';
import type { EventEnqueuer } from '../../services/event-enqueuer.ts';

export type SumsubWebhookOptions = {
  enqueuer: EventEnqueuer;
  secrets: readonly string[];
  algorithms: readonly DigestAlgorithm[];
  maxClockSkewMs: number;
};

// ignoreBOM keeps a leading BOM in the text, so the text re-encodes to the exact
// bytes the digest covers (the worker verifies it again).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const EMPTY = Buffer.alloc(0);

/** A header sent once; a repeated one is ambiguous and counts as absent. */
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? undefined : value);

function decode(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new InvalidJson('body is not valid UTF-8');
  }
}

/** Counts and times every delivery by its outcome (the route's own hook, not a URL match elsewhere). */
function recordOutcome(request: FastifyRequest, seconds: number, statusCode: number): void {
  const { outcome = `http_${statusCode}`, algorithm = 'none', type } = request.logFields;
  const metrics = request.server.ingestMetrics;
  metrics.received.inc({ outcome: String(outcome), algorithm: String(algorithm) });
  if (type !== undefined) metrics.types.inc({ type: eventTypeLabel(String(type)) });
  metrics.latency.observe({ outcome: String(outcome) }, seconds);
  if (outcome === 'unavailable') metrics.redis.inc({ component: 'ingest' });
}

/**
 * POST /webhooks/sumsub: verify the HMAC over the raw bytes, validate, enqueue,
 * answer. The body parser is scoped to this plugin and hands over the raw
 * Buffer, so the signature is never checked against re-serialised JSON.
 */
export const sumsubWebhookRoutes: FastifyPluginAsyncTypebox<SumsubWebhookOptions> = async (app, options) => {
  const { enqueuer, secrets, algorithms, maxClockSkewMs } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', (request, reply, done) => {
    recordOutcome(request, reply.elapsedTime / 1000, reply.statusCode);
    done();
  });

  app.post(
    '/webhooks/sumsub',
    {
      schema: {
        summary: 'Receive a Sumsub webhook',
        description: `Verifies X-Payload-Digest (${Object.keys(DIGEST_ALGORITHMS).join(', ')}, as WEBHOOK_ALGORITHMS allows) over the raw body, validates the payload, stores it in the queue and answers only once Redis holds it.`,
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
    async (request) => {
      // No body at all is the empty body: its digest is checked like any other.
      const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      const digest = single(request.headers['x-payload-digest']);
      const signature = verifySignature(raw, digest, single(request.headers['x-payload-digest-alg']), secrets, algorithms);
      if (!signature.ok) {
        request.logFields.outcome = `rejected_${signature.reason}`;
        throw new InvalidSignature(signature.message);
      }
      request.logFields.algorithm = signature.algorithm;
      const text = decode(raw);
      const parsed = parseWebhook(text);
      if (isParseFailure(parsed)) {
        request.logFields.outcome = `rejected_${parsed.error}`;
        throw parsed.error === 'invalid_json' ? new InvalidJson(parsed.message) : new InvalidPayload(parsed.message);
      }
      const { eventId, payload } = parsed;
      Object.assign(request.logFields, { eventId, type: payload.type, applicantId: payload.applicantId });
      const future = futureTimeError(parsed.eventAt, Date.now(), maxClockSkewMs);
      if (future) {
        request.logFields.outcome = 'rejected_future_time';
        throw new InvalidPayload(future);
      }
      request.logFields.outcome = 'unavailable'; // until the queue has it
      const status = await enqueuer.enqueue(parsed, { rawBody: text, digest: String(digest), digestAlgorithm: signature.algorithm });
      request.logFields.outcome = status;
      // Sumsub is delivering: the silence alert (KycSumsubSilent) watches this per account.
      const metrics = request.server.ingestMetrics;
      metrics.lastAccepted.set({ account: metrics.account(payload.clientId) }, Date.now() / 1000);
      return { status, eventId };
    },
  );
};
