import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { devSecretsFile, readDevSecrets, withDevSecrets } from '../src/config/dev-secrets.ts';
import { loadConfig } from '../src/config/load-config.ts';

const dataDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'kyc-secrets-')), 'data');
const mode = (file: string) => statSync(file).mode & 0o777;

describe('development secrets', () => {
  it('are generated into a private directory and file, and reported as generated', () => {
    const dir = dataDir();
    const { config, generated, file } = withDevSecrets(loadConfig({ DATA_DIR: dir }));
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(generated.map((g) => g.name)).toEqual(['SUMSUB_WEBHOOK_SECRET', 'API_READ_TOKEN', 'API_ADMIN_TOKEN']);
    expect(config.webhookSecrets).toHaveLength(1);
    expect(config.tokens.admin).toEqual([{ name: 'admin', token: expect.any(String) }]);
  });

  it('are read back from the one file they are kept in (what pnpm cli uses), never created by reading', () => {
    const dir = dataDir();
    expect(readDevSecrets(dir)).toEqual({});
    const { config, file } = withDevSecrets(loadConfig({ DATA_DIR: dir }));
    expect(file).toBe(devSecretsFile(dir));
    expect(readDevSecrets(dir)).toEqual({
      webhookSecret: config.webhookSecrets[0],
      readToken: config.tokens.read[0]?.token,
      adminToken: config.tokens.admin[0]?.token,
    });
  });

  it('never report a supplied value, and leave supplied ones in use', () => {
    const { config, generated } = withDevSecrets(
      loadConfig({ DATA_DIR: dataDir(), SUMSUB_WEBHOOK_SECRET: 's3cret', API_ADMIN_TOKEN: 'admin-token-0123456789' }),
    );
    expect(generated.map((g) => g.name)).toEqual(['API_READ_TOKEN']);
    expect(JSON.stringify(generated)).not.toMatch(/s3cret|admin-token-0123456789/);
    expect(config.webhookSecrets).toEqual(['s3cret']);
  });

  it('are validated on read: missing or malformed fields are generated anew, good ones kept', () => {
    const dir = dataDir();
    const first = withDevSecrets(loadConfig({ DATA_DIR: dir }));
    const kept = JSON.parse(readFileSync(first.file, 'utf8')) as Record<string, string>;
    writeFileSync(first.file, JSON.stringify({ webhookSecret: kept.webhookSecret, readToken: 7 }), { mode: 0o600 });
    const second = withDevSecrets(loadConfig({ DATA_DIR: dir }));
    expect(second.config.webhookSecrets).toEqual([kept.webhookSecret]);
    const repaired = JSON.parse(readFileSync(second.file, 'utf8')) as Record<string, unknown>;
    expect(repaired.readToken).toEqual(expect.stringMatching(/^.{16,}$/));
    expect(repaired.adminToken).toEqual(expect.stringMatching(/^.{16,}$/));
  });

  it('a file other users can read is made private, with a warning', () => {
    const dir = dataDir();
    const { file } = withDevSecrets(loadConfig({ DATA_DIR: dir }));
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    withDevSecrets(loadConfig({ DATA_DIR: dir }), (message) => warnings.push(message));
    expect(mode(file)).toBe(0o600);
    expect(warnings).toEqual([expect.stringMatching(/readable by other users/)]);
  });

  it('are not generated in production', () => {
    expect(() => withDevSecrets(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() }))).toThrow(/SUMSUB_WEBHOOK_SECRET: required/);
  });
});
