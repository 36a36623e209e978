// Sumsub's error envelope (docs.sumsub.com/reference/review-api-health):
// {description, code, correlationId, errorCode?, errorName?}. Branch on the HTTP
// status and errorCode, never on the description.

export type SumsubErrorBody = {
  description?: string;
  code?: number;
  correlationId?: string;
  errorCode?: number;
  errorName?: string;
};

/** What the caller should do about a failed call. */
export type ErrorKind =
  /** 401/403: a configuration problem (token, secret, permissions, IP allow-list). Retrying cannot help. */
  | 'unauthorized'
  /** 404: no such applicant at Sumsub. */
  | 'not_found'
  /** 429: over the rate limit; wait (Retry-After when given). */
  | 'rate_limited'
  /** 5xx, no answer in time, or no connection: retry with backoff. */
  | 'unavailable'
  /** Any other 4xx, or a body that is not what the documentation shows. */
  | 'rejected';

export class SumsubApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    message: string,
    readonly body: SumsubErrorBody = {},
    /** From Retry-After, when Sumsub sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SumsubApiError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

export function kindOf(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
