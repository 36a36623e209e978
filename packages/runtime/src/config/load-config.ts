import { Value } from '@sinclair/typebox/value';
import { clusterSeeds, hasHashtag } from '../redis-connection.ts';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '@kyc/sumsub-webhook';
import { parseDuration } from '../duration.ts';
import { type SumsubApiConfig, sumsubApiConfig, sumsubConfigProblems } from './sumsub-api.ts';
import { accountsConfig, type SumsubAccount } from './sumsub-accounts.ts';
import { ConfigSchema, type RawConfig } from './schema.ts';
import { ConfigError } from './errors.ts';
import { type NamedToken, tokenSettings } from './tokens.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export type Config = Omit<
  RawConfig,
  'REDIS_URL' | 'SUMSUB_WEBHOOK_SECRET' | 'SUMSUB_WEBHOOK_SECRETS_RETIRED' | 'SUMSUB_APP_TOKEN' | 'SUMSUB_SECRET_KEY'
> & {
  REDIS_URL: string;
  /** REDIS_URL was set; when not, `pnpm start` may run a private redis-server. */
  redisConfigured: boolean;
  /** Every accepted webhook secret (SUMSUB_WEBHOOK_SECRET is comma-separated for rotation). */
  webhookSecrets: string[];
  /** Secrets no longer accepted at intake, still used by the worker to re-verify stored events (replay). */
  retiredWebhookSecrets: string[];
  /** The digest algorithms intake accepts (WEBHOOK_ALGORITHMS). */
  webhookAlgorithms: DigestAlgorithm[];
  /** Sumsub's REST API; undefined when no token is set (document comments and reconciliation off). */
  sumsubApi: SumsubApiConfig | undefined;
  /** The accounts SUMSUB_ACCOUNTS lists (SUMSUB_ACCOUNT_<NAME>_*); `default` is the flat fields above (sumsubAccounts() has them all). */
  namedAccounts: SumsubAccount[];
  /** RECONCILE_INTERVAL in milliseconds; undefined: no periodic reconciliation. */
  reconcileIntervalMs: number | undefined;
  /** Named API tokens by role: API_*_TOKEN (named `read`/`admin`) and the API_*_TOKENS name=token lists. */
  tokens: { read: NamedToken[]; admin: NamedToken[] };
  production: boolean;
};

export type { NamedToken, Tokens } from './tokens.ts';

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export { ConfigError };

/** Reads, converts and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(ConfigSchema.properties);
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, input));
  const problems = [...Value.Errors(ConfigSchema, converted)].map((e) => {
    const key = e.path.replace(/^\//, '');
    const shown = key.includes('SECRET') || key.includes('TOKEN') ? '(hidden)' : JSON.stringify(input[key]);
    return `${key}: ${e.message} (got ${shown})`;
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const { SUMSUB_WEBHOOK_SECRET, SUMSUB_WEBHOOK_SECRETS_RETIRED, ...all } = converted as RawConfig;
  // The API token and secret live only in sumsubApi (kept out of the flat config that gets spread around).
  const { SUMSUB_APP_TOKEN: _token, SUMSUB_SECRET_KEY: _key, ...raw } = all;
  checkRedisTarget(raw);
  if (raw.DATABASE_READ_URL !== undefined && raw.DATABASE_URL === undefined) {
    throw new ConfigError(['DATABASE_READ_URL: set without DATABASE_URL; a replica serves reads for a primary (set DATABASE_URL too)']);
  }
  const webhookAlgorithms = algorithmsOf(raw.WEBHOOK_ALGORITHMS);
  const webhookSecrets = list(SUMSUB_WEBHOOK_SECRET);
  const named = accountsConfig(env, raw, webhookAlgorithms, webhookSecrets.length > 0);
  const sumsubProblems = [...sumsubConfigProblems(all, named.withApi), ...named.problems];
  if (sumsubProblems.length > 0) throw new ConfigError(sumsubProblems);
  const production = raw.NODE_ENV === 'production';
  return {
    ...raw,
    REDIS_URL: raw.REDIS_URL ?? DEFAULT_REDIS_URL,
    redisConfigured: raw.REDIS_URL !== undefined || raw.REDIS_CLUSTER_NODES !== undefined,
    webhookSecrets,
    retiredWebhookSecrets: list(SUMSUB_WEBHOOK_SECRETS_RETIRED),
    webhookAlgorithms,
    sumsubApi: sumsubApiConfig(all),
    namedAccounts: named.accounts,
    reconcileIntervalMs: raw.RECONCILE_INTERVAL === undefined ? undefined : parseDuration(raw.RECONCILE_INTERVAL),
    tokens: tokenSettings(raw),
    production,
  };
}

/** One Redis or one cluster; on a cluster every queue key needs a {hashtag} (BullMQ's scripts touch many keys). */
function checkRedisTarget(raw: Omit<RawConfig, 'SUMSUB_WEBHOOK_SECRET' | 'SUMSUB_WEBHOOK_SECRETS_RETIRED'>): void {
  if (raw.REDIS_CLUSTER_NODES === undefined) return;
  const problems: string[] = [];
  if (raw.REDIS_URL !== undefined)
    problems.push('REDIS_CLUSTER_NODES: set together with REDIS_URL; use one (a single Redis, or a cluster)');
  try {
    if (clusterSeeds(raw.REDIS_CLUSTER_NODES).length === 0) problems.push('REDIS_CLUSTER_NODES: no seed node given');
  } catch (error) {
    problems.push(
      `REDIS_CLUSTER_NODES: ${(error as Error).message} (expected host:port or redis[s]://user:password@host:port, comma-separated)`,
    );
  }
  if (!hasHashtag(raw.QUEUE_PREFIX)) {
    problems.push(
      `QUEUE_PREFIX: on a Redis Cluster it must contain a {hashtag}, e.g. {kyc-webhooks} (got ${JSON.stringify(raw.QUEUE_PREFIX)})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function algorithmsOf(text: string): DigestAlgorithm[] {
  const names = list(text);
  const unknown = names.filter((name) => !Object.hasOwn(DIGEST_ALGORITHMS, name));
  if (unknown.length > 0 || names.length === 0) {
    throw new ConfigError([
      `WEBHOOK_ALGORITHMS: expected a comma-separated subset of ${Object.keys(DIGEST_ALGORITHMS).join(', ')} (got ${JSON.stringify(text)})`,
    ]);
  }
  return names as DigestAlgorithm[];
}

/** The separate ingest and worker processes share one PostgreSQL: they need its URL. */
export function requireDatabaseUrl(config: Config, service: string): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  throw new ConfigError([
    `DATABASE_URL: required by ${service} (only \`pnpm start\`, ingest and worker in one process, can run on the embedded database)`,
  ]);
}
