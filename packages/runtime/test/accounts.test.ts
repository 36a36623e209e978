import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withDevSecrets } from '@kyc/runtime';
import { accountEventId, apiAccounts, sumsubAccounts } from '../src/config/sumsub-accounts.ts';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';

const KEY = 'Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq';

/** The problems a configuration is refused with. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Sumsub accounts (SUMSUB_ACCOUNTS, SUMSUB_ACCOUNT_<NAME>_*)', () => {
  it('reads each listed account from its own variables; the unprefixed ones are the account `default`', () => {
    const config = loadConfig({
      SUMSUB_WEBHOOK_SECRET: 'legacy',
      SUMSUB_APP_TOKEN: 'prd:default.token',
      SUMSUB_SECRET_KEY: KEY,
      SUMSUB_ACCOUNTS: 'eu, us-west',
      SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'eu-new,eu-old',
      SUMSUB_ACCOUNT_EU_WEBHOOK_SECRETS_RETIRED: 'eu-older',
      SUMSUB_ACCOUNT_EU_APP_TOKEN: 'sbx:eu.token',
      SUMSUB_ACCOUNT_EU_SECRET_KEY: 'eu-key',
      SUMSUB_ACCOUNT_EU_API_URL: 'http://127.0.0.1:9999',
      SUMSUB_ACCOUNT_US_WEST_WEBHOOK_SECRET: 'us-secret',
      SUMSUB_ACCOUNT_US_WEST_WEBHOOK_ALGORITHMS: 'HMAC_SHA512_HEX',
    });
    const accounts = sumsubAccounts(config);
    expect([...accounts.keys()]).toEqual(['default', 'eu', 'us-west']);
    expect(accounts.get('default')).toMatchObject({ webhookSecrets: ['legacy'], api: { appToken: 'prd:default.token' } });
    expect(accounts.get('eu')).toMatchObject({
      webhookSecrets: ['eu-new', 'eu-old'],
      retiredWebhookSecrets: ['eu-older'],
      webhookAlgorithms: ['HMAC_SHA1_HEX', 'HMAC_SHA256_HEX', 'HMAC_SHA512_HEX'],
      api: { appToken: 'sbx:eu.token', secretKey: 'eu-key', baseUrl: 'http://127.0.0.1:9999', sandbox: true },
    });
    expect(accounts.get('us-west')).toMatchObject({
      webhookSecrets: ['us-secret'],
      webhookAlgorithms: ['HMAC_SHA512_HEX'],
      api: undefined,
    });
    expect([...apiAccounts(config).keys()]).toEqual(['default', 'eu']);
  });

  it('keeps a deployment without SUMSUB_ACCOUNTS as it was: one account, `default`', () => {
    const config = loadConfig({ SUMSUB_WEBHOOK_SECRET: 'only' });
    expect([...sumsubAccounts(config).keys()]).toEqual(['default']);
    expect(sumsubAccounts(config).get('default')?.webhookSecrets).toEqual(['only']);
  });

  it('has no default account when only named accounts are configured', () => {
    const config = loadConfig({ SUMSUB_ACCOUNTS: 'eu', SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'x' });
    expect([...sumsubAccounts(config).keys()]).toEqual(['eu']);
    // Outside production no default secret is made up for it either.
    const dir = mkdtempSync(path.join(tmpdir(), 'kyc-accounts-'));
    const booted = withDevSecrets(loadConfig({ SUMSUB_ACCOUNTS: 'eu', SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'x', DATA_DIR: dir }));
    expect(booted.generated.map((g) => g.name)).not.toContain('SUMSUB_WEBHOOK_SECRET');
    expect([...sumsubAccounts(booted.config).keys()]).toEqual(['eu']);
  });

  it('refuses bad configurations with messages naming the variable, never a secret value', () => {
    const found = problems({
      SUMSUB_ACCOUNTS: 'eu,EU,default,eu,x_y',
      SUMSUB_ACCOUNT_EU_APP_TOKEN: 'sbx:tok.en',
      SUMSUB_ACCOUNT_EU_WEBHOOK_ALGORITHMS: 'HMAC_MD5_HEX',
      SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET_TYPO: 'sh-secret-value',
      SUMSUB_ACCOUNT_APAC_WEBHOOK_SECRET: 'sh-secret-value',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SUMSUB_ACCOUNTS: "EU" is not an account name/),
        expect.stringMatching(/^SUMSUB_ACCOUNTS: `default` is the account of the unprefixed/),
        expect.stringMatching(/^SUMSUB_ACCOUNTS: eu is listed twice/),
        expect.stringMatching(/^SUMSUB_ACCOUNTS: "x_y" is not an account name/),
        expect.stringMatching(/^SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: required for the account eu/),
        expect.stringMatching(/^SUMSUB_ACCOUNT_EU_WEBHOOK_ALGORITHMS: expected a comma-separated subset/),
        expect.stringMatching(/^SUMSUB_ACCOUNT_EU_APP_TOKEN and SUMSUB_ACCOUNT_EU_SECRET_KEY: set both/),
        expect.stringMatching(/^SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET_TYPO: not a known setting/),
        expect.stringMatching(/^SUMSUB_ACCOUNT_APAC_WEBHOOK_SECRET: names an account that SUMSUB_ACCOUNTS does not list/),
      ]),
    );
    expect(found.join('\n')).not.toContain('sh-secret-value');
    expect(found.join('\n')).not.toContain('tok.en');
  });

  it('in production: https API URLs, and a webhook secret for the default account or every listed one', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^SUMSUB_WEBHOOK_SECRET: required when NODE_ENV=production/),
    ]);
    expect(problems({ NODE_ENV: 'production', SUMSUB_ACCOUNTS: 'eu', SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'x' })).toEqual([]);
    expect(
      problems({
        NODE_ENV: 'production',
        SUMSUB_ACCOUNTS: 'eu',
        SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'x',
        SUMSUB_ACCOUNT_EU_APP_TOKEN: 'prd:a.b',
        SUMSUB_ACCOUNT_EU_SECRET_KEY: 'k',
        SUMSUB_ACCOUNT_EU_API_URL: 'http://sumsub.example',
      }),
    ).toEqual([expect.stringMatching(/^SUMSUB_ACCOUNT_EU_API_URL: must be https in production/)]);
  });

  it('lets RECONCILE_INTERVAL run on a named account that has API credentials', () => {
    expect(
      problems({
        RECONCILE_INTERVAL: '15m',
        SUMSUB_ACCOUNTS: 'eu',
        SUMSUB_ACCOUNT_EU_WEBHOOK_SECRET: 'x',
        SUMSUB_ACCOUNT_EU_APP_TOKEN: 'prd:a.b',
        SUMSUB_ACCOUNT_EU_SECRET_KEY: 'k',
      }),
    ).toEqual([]);
  });
});

describe('accountEventId', () => {
  it("keeps the default account's ids and gives each other account ids of its own", () => {
    const id = 'evt_0123456789abcdef0123456789abcdef';
    expect(accountEventId(id, 'default')).toBe(id);
    expect(accountEventId(id, 'eu')).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(accountEventId(id, 'eu')).not.toBe(accountEventId(id, 'us'));
    expect(accountEventId(id, 'eu')).toBe(accountEventId(id, 'eu'));
  });
});
