// Every error a route can answer, made once. Routes throw these; the one error
// handler (plugins/errors.ts) turns any of them into `{error, message}` and its
// status. Matched with instanceof, never by name.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    /** The stable, machine-readable `error` of the body. */
    readonly code: string,
    message: string,
    /** Fields the body carries beside error and message. */
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const kind = (statusCode: number, code: string) =>
  class extends ApiError {
    constructor(message: string) {
      super(statusCode, code, message);
    }
  };

export class InvalidRequest extends kind(400, 'invalid_request') {}
export class InvalidJson extends kind(400, 'invalid_json') {}
export class InvalidPayload extends kind(400, 'invalid_payload') {}
export class InvalidCursor extends kind(400, 'invalid_cursor') {}
export class EndpointNotAllowed extends kind(400, 'endpoint_refused') {}
export class InvalidSignature extends kind(401, 'invalid_signature') {}
export class Unauthorized extends kind(401, 'unauthorized') {}
export class Forbidden extends kind(403, 'forbidden') {}
export class CrossSiteRequest extends kind(403, 'cross_site_request') {}
export class NotFound extends kind(404, 'not_found') {}
export class Conflict extends kind(409, 'conflict') {}
export class NotReplayable extends kind(409, 'not_replayable') {}
/** The Sumsub API features need SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY. */
export class SumsubApiOff extends kind(409, 'sumsub_api_off') {}
export class UnsupportedMediaType extends kind(415, 'unsupported_media_type') {}

/** The applicant was erased: 410 with the time of erasure. */
export class Erased extends ApiError {
  constructor(applicantId: string, erasedAt: Date) {
    super(410, 'erased', `applicant ${applicantId} was erased`, { erasedAt: erasedAt.toISOString() });
  }
}

/** 503 with Retry-After: the dependency that stores the request is not available (the cause is logged, not answered). */
export class Unavailable extends ApiError {
  constructor(code: string, message: string, retryAfterSeconds: number, cause?: unknown) {
    super(503, code, message, {}, { 'retry-after': String(retryAfterSeconds) });
    this.cause = cause;
  }
}

/** Redis did not take the event in time: Sumsub should retry. */
export class QueueUnavailable extends Unavailable {
  constructor(retryAfterSeconds: number, cause?: unknown) {
    super('queue_unavailable', 'the event could not be stored; retry later', retryAfterSeconds, cause);
  }
}

/** Basic credentials are asked for by a browser on the dashboard only. */
export class BasicChallenge extends ApiError {
  constructor(realm: string) {
    super(401, 'unauthorized', 'missing or invalid credentials', {}, { 'www-authenticate': `Basic realm="${realm}"` });
  }
}
