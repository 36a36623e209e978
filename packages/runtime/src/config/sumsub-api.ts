import { parseDuration } from '../duration.ts';

/** What the Sumsub API features need; undefined when no token is configured (the features are off). */
export type SumsubApiConfig = {
  appToken: string;
  secretKey: string;
  baseUrl: string;
  timeoutMs: number;
  /**
   * BullMQ's limiter counts jobs per fixed window, so two windows' worth can fall
   * inside one window of Sumsub's: it admits half of SUMSUB_API_RATE per window, and
   * no window of any alignment sees more than the rate.
   */
  limiter: { max: number; duration: number };
  /** A sandbox token (`sbx:`), per Sumsub's examples. */
  sandbox: boolean;
};

type Raw = {
  SUMSUB_APP_TOKEN?: string | undefined;
  SUMSUB_SECRET_KEY?: string | undefined;
  SUMSUB_API_URL: string;
  SUMSUB_API_TIMEOUT_MS: number;
  SUMSUB_API_RATE: string;
  RECONCILE_INTERVAL?: string | undefined;
  NODE_ENV: string;
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Problems with the Sumsub API settings, each naming its variable. `namedApi`: a named account has API credentials. */
export function sumsubConfigProblems(raw: Raw, namedApi = false): string[] {
  const problems: string[] = [];
  if ((raw.SUMSUB_APP_TOKEN === undefined) !== (raw.SUMSUB_SECRET_KEY === undefined)) {
    problems.push('SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY: set both (the app token and its secret key) or neither');
  }
  if (raw.RECONCILE_INTERVAL !== undefined && raw.SUMSUB_APP_TOKEN === undefined && !namedApi) {
    problems.push(
      'RECONCILE_INTERVAL: needs SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY, or an account with SUMSUB_ACCOUNT_<NAME>_APP_TOKEN (it reads reviews back from Sumsub)',
    );
  }
  const url = new URL(raw.SUMSUB_API_URL);
  // Sumsub: "plain HTTP will be refused"; only a local stand-in may be http.
  if (raw.NODE_ENV === 'production' && url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    problems.push(`SUMSUB_API_URL: must be https in production (got ${url.origin})`);
  }
  return problems;
}

export function sumsubApiConfig(raw: Raw): SumsubApiConfig | undefined {
  if (raw.SUMSUB_APP_TOKEN === undefined || raw.SUMSUB_SECRET_KEY === undefined) return undefined;
  const [count, window] = raw.SUMSUB_API_RATE.split('/') as [string, string];
  return {
    appToken: raw.SUMSUB_APP_TOKEN,
    secretKey: raw.SUMSUB_SECRET_KEY,
    baseUrl: raw.SUMSUB_API_URL,
    timeoutMs: raw.SUMSUB_API_TIMEOUT_MS,
    limiter: { max: Math.max(1, Math.floor(Number(count) / 2)), duration: parseDuration(window) as number },
    sandbox: raw.SUMSUB_APP_TOKEN.startsWith('sbx:'),
  };
}

/** What the start banner and the log say about the Sumsub API settings. */
export function sumsubApiStatus(api: SumsubApiConfig | undefined, production: boolean): { line: string; warning?: string } {
  if (!api) return { line: 'off (set SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY for document comments and reconciliation)' };
  const line = `on, ${api.baseUrl} (${api.sandbox ? 'sandbox' : 'production'} token)`;
  return production && api.sandbox
    ? { line, warning: 'SUMSUB_APP_TOKEN is a sandbox token (sbx:) while NODE_ENV=production: records will not match production Sumsub' }
    : { line };
}
