import { accountEventId, DEFAULT_ACCOUNT, type SumsubAccount } from '@kyc/runtime';
import { DIGEST_ALGORITHMS, eventTypeLabel, futureTimeError, isParseFailure, parseWebhook, verifySignature } from '@kyc/sumsub-webhook';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { InvalidJson, InvalidPayload, InvalidSignature, ErrorResponse, NotFound } from '@kyc/http';
import { WebhookAccepted, WebhookAccountParams, WebhookHeaders } from '../../schemas/webhook.ts';
import type { EventEnqueuer } from '../../services/event-enqueuer.ts';

export type SumsubWebhookOptions = {
  enqueuer: EventEnqueuer;
  /** Every configured account by name (`default`: the unprefixed variables); each verifies with its own secrets only. */
  accounts: ReadonlyMap<string, Pick<SumsubAccount, 'name' | 'webhookSecrets' | 'webhookAlgorithms'>>;
  maxClockSkewMs: number;
};

/** The `account` label of a delivery to an account that does not exist (not a valid name, so no account can have it). */
export const UNKNOWN_ACCOUNT_LABEL = '(unknown)';

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
  const { outcome = `http_${statusCode}`, algorithm = 'none', type, account = UNKNOWN_ACCOUNT_LABEL } = request.logFields;
  const metrics = request.server.ingestMetrics;
  metrics.received.inc({ outcome: String(outcome), algorithm: String(algorithm), account: String(account) });
  if (type !== undefined) metrics.types.inc({ type: eventTypeLabel(String(type)), account: String(account) });
  metrics.latency.observe({ outcome: String(outcome), account: String(account) }, seconds);
  if (outcome === 'unavailable') metrics.redis.inc({ component: 'ingest' });
}

/**
 * POST /webhooks/sumsub/<account> (and /webhooks/sumsub, the `default` account):
 * verify the HMAC over the raw bytes with that account's secrets only, validate,
 * enqueue with the account, answer. An account that is not configured is a 404
 * before its signature or body is looked at. The body parser is scoped to this plugin and
 * hands over the raw Buffer, so the signature is never checked against
 * re-serialised JSON.
 */
export const sumsubWebhookRoutes: FastifyPluginAsyncTypebox<SumsubWebhookOptions> = async (app, options) => {
  const { enqueuer, accounts, maxClockSkewMs } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', (request, reply, done) => {
    recordOutcome(request, reply.elapsedTime / 1000, reply.statusCode);
    done();
  });

  const receive = async (request: FastifyRequest, name: string) => {
    const account = accounts.get(name);
    if (!account) {
      request.logFields.outcome = 'rejected_unknown_account';
      throw new NotFound('no Sumsub account is configured under this name');
    }
    request.logFields.account = account.name;
    // No body at all is the empty body: its digest is checked like any other.
    const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    const digest = single(request.headers['x-payload-digest']);
    const alg = single(request.headers['x-payload-digest-alg']);
    const signature = verifySignature(raw, digest, alg, account.webhookSecrets, account.webhookAlgorithms);
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
    const event = { ...parsed, eventId: accountEventId(parsed.eventId, account.name) };
    const { eventId, payload } = event;
    Object.assign(request.logFields, { eventId, type: payload.type, applicantId: payload.applicantId });
    const future = futureTimeError(parsed.eventAt, Date.now(), maxClockSkewMs);
    if (future) {
      request.logFields.outcome = 'rejected_future_time';
      throw new InvalidPayload(future);
    }
    request.logFields.outcome = 'unavailable'; // until the queue has it
    const signed = { rawBody: text, digest: String(digest), digestAlgorithm: signature.algorithm, account: account.name };
    const status = await enqueuer.enqueue(event, signed);
    request.logFields.outcome = status;
    // Sumsub is delivering: the silence alert (KycSumsubSilent) watches this per account.
    request.server.ingestMetrics.lastAccepted.set({ account: account.name }, Date.now() / 1000);
    return { status, eventId };
  };

  const schema = (summary: string) => ({
    summary,
    description: `Verifies X-Payload-Digest (${Object.keys(DIGEST_ALGORITHMS).join(', ')}, as the account's WEBHOOK_ALGORITHMS allows) over the raw body with the account's secrets, validates the payload, stores it in the queue and answers only once Redis holds it.`,
    tags: ['webhooks'],
    headers: WebhookHeaders,
    consumes: ['application/json'],
    response: {
      200: WebhookAccepted,
      400: ErrorResponse,
      401: ErrorResponse,
      404: ErrorResponse,
      413: ErrorResponse,
      415: ErrorResponse,
      503: ErrorResponse,
    },
  });

  app.post('/webhooks/sumsub', { schema: schema('Receive a Sumsub webhook (the default account)') }, (request) =>
    receive(request, DEFAULT_ACCOUNT),
  );
  app.post(
    '/webhooks/sumsub/:account',
    {
      schema: {
        ...schema('Receive a Sumsub webhook of one account (SUMSUB_ACCOUNTS; 404 when it is not configured)'),
        params: WebhookAccountParams,
      },
    },
    (request) => receive(request, request.params.account),
  );
};
