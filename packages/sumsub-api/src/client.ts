import { authHeaders } from './signing.ts';
import { kindOf, retryAfterMs, SumsubApiError, type SumsubErrorBody } from './errors.ts';

export type SumsubClientOptions = {
  appToken: string;
  secretKey: string;
  /** https://api.sumsub.com, one host for sandbox and production (the token selects). */
  baseUrl: string;
  timeoutMs: number;
};

export type SumsubClient = {
  /** GET a path (with its query, encoded as it goes on the wire); the parsed JSON body. */
  get(pathWithQuery: string): Promise<unknown>;
};

const describeBody = (body: SumsubErrorBody) =>
  [body.errorCode, body.errorName, body.description].filter((part) => part !== undefined && part !== '').join(' ');

async function errorBody(response: Response): Promise<SumsubErrorBody> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? body : {};
  } catch {
    return {};
  }
}

/**
 * Signed requests to Sumsub's API. No retries here: the caller's queue retries
 * (with backoff, within the rate limit) by the error's kind.
 */
export function createSumsubClient(options: SumsubClientOptions): SumsubClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async get(pathWithQuery) {
      let response: Response;
      try {
        response = await fetch(`${base}${pathWithQuery}`, {
          method: 'GET',
          headers: { accept: 'application/json', ...authHeaders(options.appToken, options.secretKey, 'GET', pathWithQuery) },
          signal: AbortSignal.timeout(options.timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
        const reason = timedOut
          ? `no answer within ${options.timeoutMs} ms`
          : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
        throw new SumsubApiError('unavailable', 0, `GET ${pathWithQuery.split('?')[0] ?? ''}: ${reason}`);
      }
      if (!response.ok) {
        const body = await errorBody(response);
        const detail = describeBody(body);
        throw new SumsubApiError(
          kindOf(response.status),
          response.status,
          `GET ${pathWithQuery.split('?')[0] ?? ''}: HTTP ${response.status}${detail ? ` (${detail})` : ''}${body.correlationId ? ` correlationId ${body.correlationId}` : ''}`,
          body,
          retryAfterMs(response.headers.get('retry-after')),
        );
      }
      try {
        return await response.json();
      } catch {
        throw new SumsubApiError('rejected', response.status, `GET ${pathWithQuery.split('?')[0] ?? ''}: the answer is not JSON`);
      }
    },
  };
}

/** A path segment as Sumsub's paths take it: percent-encoded (and signed in that form). */
export const segment = (value: string) => encodeURIComponent(value);
