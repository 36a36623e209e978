/** A command used wrongly (an unknown option, a missing or bad value): exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The service could not be reached at all: the message names the URL, the cause and what to do. */
export class Unreachable extends Error {
  override name = 'Unreachable';
}

/** The cause of a failed fetch as a code: ECONNREFUSED, ENOTFOUND, ETIMEDOUT... */
function causeOf(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (cause as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) cause = errors[0];
    else cause = (cause as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** `cannot reach http://127.0.0.1:3999 (ECONNREFUSED): is pnpm start running? set PORT or --url` */
export function unreachable(url: string, error: unknown): Unreachable {
  return new Unreachable(`cannot reach ${originOf(url)} (${causeOf(error)}): is pnpm start running? set PORT or --url`);
}

/** fetch, with a network failure turned into Unreachable. */
export async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof TypeError || (error as { name?: string }).name === 'AbortError') throw unreachable(url, error);
    throw error;
  }
}

/** One call to the service's HTTP API with a Bearer token: status and parsed JSON (an empty object for 204). */
export async function callApi<T>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as T };
  } catch {
    throw new Unreachable(
      `${originOf(url)} answered ${response.status} with something that is not JSON: is --url the kyc-webhooks service?`,
    );
  }
}

/** What the API answers on an error: {error, message}. */
export type ApiFailure = { error?: string; message?: string };

/** Prints an error answer as "status error: message"; the command's exit code (1). */
export function printFailure(status: number, json: ApiFailure): number {
  const hint = status === 401 || status === 403 ? ' (pass --token or set API_ADMIN_TOKEN)' : '';
  process.stderr.write(`${status} ${json.error ?? ''}: ${json.message ?? ''}${hint}\n`);
  return 1;
}

/** Checks that a value is one of a few words: `--status must be one of applied, failed (got "weird")`. */
export function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${option} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

/** An ISO time option: `--since must be an ISO time such as 2026-12-01T00:00:00Z`. */
export function isoTime(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`--${option} must be an ISO time such as 2026-12-01T00:00:00Z (got ${JSON.stringify(value)})`);
  return new Date(value).toISOString();
}

/** A whole-number option within bounds. */
export function wholeNumber(option: string, value: string | undefined, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${option} must be a whole number ${max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `, ${min} or more`} (got ${JSON.stringify(value)})`.replace(
        ' ,',
        ',',
      ),
    );
  return n;
}

/** Refuses positional arguments beyond the ones a command takes. */
export function noMore(positionals: readonly string[], takes: number, what: string): void {
  const extra = positionals.slice(takes);
  if (extra.length > 0) throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(' ')} (${what})`);
}

/** Fails with Unreachable unless the service answers at all (before sending anything that would be lost). */
export async function probe(url: string): Promise<void> {
  const response = await request(`${url}/healthz`);
  await response.body?.cancel();
}
