import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './load-config.ts';

type DevSecrets = { webhookSecret: string; readToken: string; adminToken: string };

function readOrCreate(file: string): DevSecrets {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  } catch {
    const make = () => randomBytes(24).toString('base64url');
    const secrets = { webhookSecret: make(), readToken: make(), adminToken: make() };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    return secrets;
  }
}

/**
 * Outside production, a missing webhook secret or API token is generated once and
 * kept under DATA_DIR so a restart keeps working. In production nothing is
 * generated: the secret is required and a missing token disables that access.
 */
export function withDevSecrets(config: Config): { config: Config; generated: string[] } {
  if (config.production) return { config, generated: [] };
  const needed = config.webhookSecrets.length === 0 || !config.API_READ_TOKEN || !config.API_ADMIN_TOKEN;
  if (!needed) return { config, generated: [] };
  const dev = readOrCreate(path.join(config.DATA_DIR, 'dev-secrets.json'));
  const generated: string[] = [];
  const next = { ...config };
  if (next.webhookSecrets.length === 0) {
    next.webhookSecrets = [dev.webhookSecret];
    generated.push(`SUMSUB_WEBHOOK_SECRET=${dev.webhookSecret}`);
  }
  if (!next.API_READ_TOKEN) {
    next.API_READ_TOKEN = dev.readToken;
    generated.push(`API_READ_TOKEN=${dev.readToken}`);
  }
  if (!next.API_ADMIN_TOKEN) {
    next.API_ADMIN_TOKEN = dev.adminToken;
    generated.push(`API_ADMIN_TOKEN=${dev.adminToken}`);
  }
  return { config: next, generated };
}
