import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './load-config.ts';

export type DevSecrets = { webhookSecret: string; readToken: string; adminToken: string };
const FIELDS = ['webhookSecret', 'readToken', 'adminToken'] as const;

/** Where the generated development secrets are kept: the one place `pnpm start` writes and `pnpm cli` reads. */
export const devSecretsFile = (dataDir: string) => path.join(dataDir, 'dev-secrets.json');

/** The development secrets kept under dataDir, as far as there are any (never creates them). */
export function readDevSecrets(dataDir: string): Partial<DevSecrets> {
  try {
    return JSON.parse(readFileSync(devSecretsFile(dataDir), 'utf8')) as Partial<DevSecrets>;
  } catch {
    return {};
  }
}

const make = () => randomBytes(24).toString('base64url');
const valid = (value: unknown): value is string => typeof value === 'string' && value.length >= 16;

/** The file's secrets, with any missing or malformed field generated anew; the file kept private. */
function readOrCreate(file: string, warn: (message: string) => void): DevSecrets {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let stored: Partial<Record<(typeof FIELDS)[number], unknown>> = {};
  try {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      warn(`${file} was readable by other users; its permissions are now 0600`);
    }
    stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      warn(`${file} could not be read (${(error as Error).message}); it is written anew`);
  }
  const secrets = Object.fromEntries(FIELDS.map((field) => [field, valid(stored[field]) ? stored[field] : make()])) as DevSecrets;
  if (FIELDS.some((field) => secrets[field] !== stored[field])) {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

export type GeneratedSecret = { name: string; value: string };

/**
 * Outside production, a missing webhook secret or API token is generated once and
 * kept under DATA_DIR so a restart keeps working. Only generated values are ever
 * reported (to be printed for the developer); a supplied secret never is. In
 * production nothing is generated: the secret is required and a missing token
 * disables that access.
 */
export function withDevSecrets(
  config: Config,
  warn: (message: string) => void = () => undefined,
): { config: Config; generated: GeneratedSecret[]; file: string } {
  const file = devSecretsFile(config.DATA_DIR);
  // With named accounts (SUMSUB_ACCOUNTS) the default account exists only if configured: no secret is made up for it.
  const webhookSecretMissing = config.webhookSecrets.length === 0 && config.namedAccounts.length === 0;
  const needed = webhookSecretMissing || config.tokens.read.length === 0 || config.tokens.admin.length === 0;
  if (config.production || !needed) return { config, generated: [], file };
  const dev = readOrCreate(file, warn);
  const generated: GeneratedSecret[] = [];
  const next: Config = { ...config, tokens: { read: [...config.tokens.read], admin: [...config.tokens.admin] } };
  if (webhookSecretMissing) {
    next.webhookSecrets = [dev.webhookSecret];
    generated.push({ name: 'SUMSUB_WEBHOOK_SECRET', value: dev.webhookSecret });
  }
  if (next.tokens.read.length === 0) {
    next.tokens.read.push({ name: 'read', token: dev.readToken });
    generated.push({ name: 'API_READ_TOKEN', value: dev.readToken });
  }
  if (next.tokens.admin.length === 0) {
    next.tokens.admin.push({ name: 'admin', token: dev.adminToken });
    generated.push({ name: 'API_ADMIN_TOKEN', value: dev.adminToken });
  }
  return { config: next, generated, file };
}
