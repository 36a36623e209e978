import { createHash } from 'node:crypto';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '@kyc/sumsub-webhook';
import { parseDuration } from '@kyc/runtime';
import type { SumsubApiConfig } from '@kyc/runtime';

// Several Sumsub accounts on one receiver (a sandbox and a production account, one
// per legal entity or region). Each account has its own webhook secrets and API
// credentials; an applicant belongs to the account that first reported it, and
// events reaching it through another account are kept but never applied
// (kyc_apply_events). The unprefixed SUMSUB_* variables are the account `default`.

export const DEFAULT_ACCOUNT = 'default';
export const ACCOUNT_NAME_PATTERN = '^[a-z0-9-]{1,32}$';
const ACCOUNT_NAME = new RegExp(ACCOUNT_NAME_PATTERN);

export type SumsubAccount = {
  name: string;
  /** Accepted at intake (comma-separated for rotation). */
  webhookSecrets: readonly string[];
  /** No longer accepted at intake; still verify this account's stored events on replay. */
  retiredWebhookSecrets: readonly string[];
  webhookAlgorithms: readonly DigestAlgorithm[];
  /** This account's Sumsub API credentials; undefined: no document fetches or reconciliation for its applicants. */
  api: SumsubApiConfig | undefined;
};

/** What a named account inherits from the shared settings. */
export type AccountDefaults = {
  webhookAlgorithms: readonly DigestAlgorithm[];
  SUMSUB_API_URL: string;
  SUMSUB_API_TIMEOUT_MS: number;
  SUMSUB_API_RATE: string;
  NODE_ENV: string;
};

const SUFFIXES = ['WEBHOOK_SECRET', 'WEBHOOK_SECRETS_RETIRED', 'WEBHOOK_ALGORITHMS', 'APP_TOKEN', 'SECRET_KEY', 'API_URL'] as const;
type Suffix = (typeof SUFFIXES)[number];

/** `SUMSUB_ACCOUNT_<NAME>_`: the name upper-cased, `-` as `_`. */
export const accountVariablePrefix = (name: string) => `SUMSUB_ACCOUNT_${name.toUpperCase().replaceAll('-', '_')}_`;

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** SUMSUB_ACCOUNTS as names; problems name the variable. */
function accountNames(text: string | undefined, problems: string[]): string[] {
  const names = list(text);
  const seen = new Set<string>();
  for (const name of names) {
    if (!ACCOUNT_NAME.test(name)) {
      problems.push(`SUMSUB_ACCOUNTS: ${JSON.stringify(name)} is not an account name (1 to 32 of a-z, 0-9 and -)`);
    } else if (name === DEFAULT_ACCOUNT) {
      problems.push('SUMSUB_ACCOUNTS: `default` is the account of the unprefixed SUMSUB_* variables; do not list it');
    } else if (seen.has(name)) {
      problems.push(`SUMSUB_ACCOUNTS: ${name} is listed twice`);
    }
    seen.add(name);
  }
  return [...seen].filter((name) => ACCOUNT_NAME.test(name) && name !== DEFAULT_ACCOUNT);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function accountApi(
  name: string,
  read: (suffix: Suffix) => string | undefined,
  defaults: AccountDefaults,
  problems: string[],
): SumsubApiConfig | undefined {
  const prefix = accountVariablePrefix(name);
  const appToken = read('APP_TOKEN');
  const secretKey = read('SECRET_KEY');
  const baseUrl = read('API_URL') ?? defaults.SUMSUB_API_URL;
  if ((appToken === undefined) !== (secretKey === undefined)) {
    problems.push(`${prefix}APP_TOKEN and ${prefix}SECRET_KEY: set both (the app token and its secret key) or neither`);
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = /^https?:\/\//.test(baseUrl) ? new URL(baseUrl) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    problems.push(`${prefix}API_URL: expected an http(s) URL (got ${JSON.stringify(baseUrl)})`);
    return undefined;
  }
  // Sumsub: "plain HTTP will be refused"; only a local stand-in may be http.
  if (defaults.NODE_ENV === 'production' && url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    problems.push(`${prefix}API_URL: must be https in production (got ${url.origin})`);
  }
  if (appToken === undefined || secretKey === undefined) return undefined;
  const [count, window] = defaults.SUMSUB_API_RATE.split('/') as [string, string];
  return {
    appToken,
    secretKey,
    baseUrl,
    timeoutMs: defaults.SUMSUB_API_TIMEOUT_MS,
    limiter: { max: Math.max(1, Math.floor(Number(count) / 2)), duration: parseDuration(window) as number },
    sandbox: appToken.startsWith('sbx:'),
  };
}

function accountAlgorithms(name: string, text: string | undefined, defaults: AccountDefaults, problems: string[]) {
  if (text === undefined) return defaults.webhookAlgorithms;
  const names = list(text);
  if (names.length === 0 || names.some((n) => !Object.hasOwn(DIGEST_ALGORITHMS, n))) {
    problems.push(
      `${accountVariablePrefix(name)}WEBHOOK_ALGORITHMS: expected a comma-separated subset of ${Object.keys(DIGEST_ALGORITHMS).join(', ')} (got ${JSON.stringify(text)})`,
    );
    return defaults.webhookAlgorithms;
  }
  return names as DigestAlgorithm[];
}

function namedAccount(name: string, env: NodeJS.ProcessEnv, defaults: AccountDefaults, problems: string[]): SumsubAccount {
  const prefix = accountVariablePrefix(name);
  const read = (suffix: Suffix) => {
    const value = env[`${prefix}${suffix}`];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const webhookSecrets = list(read('WEBHOOK_SECRET'));
  if (webhookSecrets.length === 0) problems.push(`${prefix}WEBHOOK_SECRET: required for the account ${name} (listed in SUMSUB_ACCOUNTS)`);
  return {
    name,
    webhookSecrets,
    retiredWebhookSecrets: list(read('WEBHOOK_SECRETS_RETIRED')),
    webhookAlgorithms: accountAlgorithms(name, read('WEBHOOK_ALGORITHMS'), defaults, problems),
    api: accountApi(name, read, defaults, problems),
  };
}

/**
 * The accounts SUMSUB_ACCOUNTS lists, each from its SUMSUB_ACCOUNT_<NAME>_*
 * variables, and the problems found, each naming its variable. A variable of an
 * account that is not listed (a typo, or a forgotten name) is a problem too.
 */
export function namedSumsubAccounts(env: NodeJS.ProcessEnv, defaults: AccountDefaults): { accounts: SumsubAccount[]; problems: string[] } {
  const problems: string[] = [];
  const accounts = accountNames(env.SUMSUB_ACCOUNTS, problems).map((name) => namedAccount(name, env, defaults, problems));
  const prefixes = new Set(accounts.map((a) => accountVariablePrefix(a.name)));
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith('SUMSUB_ACCOUNT_') || env[key] === undefined || env[key] === '') continue;
    const suffix = SUFFIXES.find((s) => key.endsWith(`_${s}`) && prefixes.has(key.slice(0, key.length - s.length)));
    if (suffix) continue;
    const listed = [...prefixes].some((p) => key.startsWith(p));
    problems.push(
      listed
        ? `${key}: not a known setting (expected one of ${SUFFIXES.join(', ')} after the account's prefix)`
        : `${key}: names an account that SUMSUB_ACCOUNTS does not list`,
    );
  }
  return { accounts, problems };
}

/** What the full list of accounts is built from: the default account's flat settings and the named ones. */
type AccountSources = {
  webhookSecrets: readonly string[];
  retiredWebhookSecrets: readonly string[];
  webhookAlgorithms: readonly DigestAlgorithm[];
  sumsubApi: SumsubApiConfig | undefined;
  namedAccounts: readonly SumsubAccount[];
};

/**
 * Whether the unprefixed variables make an account: always when no named account
 * is configured (today's single-account deployment, unchanged), otherwise only
 * when a default webhook secret or API token is set.
 */
export function hasDefaultAccount(config: AccountSources): boolean {
  return config.namedAccounts.length === 0 || config.webhookSecrets.length > 0 || config.sumsubApi !== undefined;
}

/** Every configured account by name: `default` (when it exists) and the named ones. */
export function sumsubAccounts(config: AccountSources): ReadonlyMap<string, SumsubAccount> {
  const accounts = new Map<string, SumsubAccount>();
  if (hasDefaultAccount(config)) {
    accounts.set(DEFAULT_ACCOUNT, {
      name: DEFAULT_ACCOUNT,
      webhookSecrets: config.webhookSecrets,
      retiredWebhookSecrets: config.retiredWebhookSecrets,
      webhookAlgorithms: config.webhookAlgorithms,
      api: config.sumsubApi,
    });
  }
  for (const account of config.namedAccounts) accounts.set(account.name, account);
  return accounts;
}

/** The accounts that have Sumsub API credentials; empty: document fetches and reconciliation are off. */
export function apiAccounts(config: AccountSources): Map<string, SumsubApiConfig> {
  const found = new Map<string, SumsubApiConfig>();
  for (const account of sumsubAccounts(config).values()) if (account.api) found.set(account.name, account.api);
  return found;
}

/** The account a job or row names; jobs from before accounts existed name none (the default). */
export const accountOf = (account: string | null | undefined): string => account ?? DEFAULT_ACCOUNT;

/**
 * An event's id within its account. The default account keeps the content id
 * (what was stored before accounts existed); another account's events get ids of
 * their own, so no account can take the id (queue job and ledger row) of an
 * event another account will deliver and make the genuine one a duplicate.
 */
export function accountEventId(eventId: string, account: string): string {
  if (account === DEFAULT_ACCOUNT) return eventId;
  return `evt_${createHash('sha256')
    .update(JSON.stringify(['account', account, eventId]))
    .digest('hex')
    .slice(0, 32)}`;
}

/**
 * The named accounts and the rules that involve all accounts: in production a
 * webhook secret is required, SUMSUB_WEBHOOK_SECRET when no account is listed
 * (today's variable, unchanged), each listed account's own otherwise.
 */
export function accountsConfig(
  env: NodeJS.ProcessEnv,
  raw: Omit<AccountDefaults, 'webhookAlgorithms'>,
  webhookAlgorithms: readonly DigestAlgorithm[],
  hasDefaultSecret: boolean,
): { accounts: SumsubAccount[]; problems: string[]; withApi: boolean } {
  const { accounts, problems } = namedSumsubAccounts(env, { ...raw, webhookAlgorithms });
  if (raw.NODE_ENV === 'production' && !hasDefaultSecret && accounts.length === 0) {
    problems.push('SUMSUB_WEBHOOK_SECRET: required when NODE_ENV=production (or list accounts in SUMSUB_ACCOUNTS)');
  }
  return { accounts, problems, withApi: accounts.some((a) => a.api !== undefined) };
}

/** What the start log says about the accounts when there are named ones (names and whether their API is on; no secret). */
export function accountLines(config: AccountSources): string[] {
  if (config.namedAccounts.length === 0) return [];
  const described = [...sumsubAccounts(config).values()].map((a) => `${a.name} (API ${a.api ? 'on' : 'off'})`);
  return [`Sumsub accounts: ${described.join(', ')}; webhooks at /webhooks/sumsub/<account>`];
}
