import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load-config.ts';
import { clusterSeeds } from '../src/redis-connection.ts';
import { sumsubApiStatus } from '../src/config/sumsub-api.ts';

describe('loadConfig', () => {
  it('fills defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      redisConfigured: false,
      QUEUE_PREFIX: '{kyc-webhooks}',
      MAX_BODY_BYTES: 256 * 1024,
      JOB_ATTEMPTS: 10,
      WORKER_CONCURRENCY: 256,
      webhookSecrets: [],
      production: false,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('splits comma-separated webhook secrets for rotation', () => {
    expect(loadConfig({ SUMSUB_WEBHOOK_SECRET: 'old, new,' }).webhookSecrets).toEqual(['old', 'new']);
  });

  it('names every bad variable and hides secret values', () => {
    try {
      loadConfig({ PORT: 'eighty', MAX_BODY_BYTES: '-1', REDIS_URL: 'http://x', API_READ_TOKEN: 'short' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['API_READ_TOKEN', 'MAX_BODY_BYTES', 'PORT', 'REDIS_URL']);
      expect(message).toContain('"eighty"');
      expect(message).not.toContain('short');
    }
  });

  it('requires the webhook secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SUMSUB_WEBHOOK_SECRET: required/);
    expect(loadConfig({ NODE_ENV: 'production', SUMSUB_WEBHOOK_SECRET: 's' }).production).toBe(true);
  });
});

describe('Redis Cluster configuration', () => {
  it('refuses REDIS_CLUSTER_NODES together with REDIS_URL, and a prefix without a {hashtag}', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /REDIS_CLUSTER_NODES: set together with REDIS_URL/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: 'kyc' })).toThrow(
      /QUEUE_PREFIX: on a Redis Cluster it must contain a \{hashtag\}/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'http://x:1' })).toThrow(/REDIS_CLUSTER_NODES: not a Redis address/);
  });

  it('takes host:port and redis[s]://user:password@host:port seeds', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, rediss://app:p%40ss@redis.internal:7001' });
    expect(config.redisConfigured).toBe(true);
    expect(clusterSeeds(String(config.REDIS_CLUSTER_NODES))).toEqual([
      { node: { host: '10.0.0.1', port: 7000 }, auth: {}, tls: false },
      { node: { host: 'redis.internal', port: 7001 }, auth: { username: 'app', password: 'p@ss' }, tls: true },
    ]);
  });
});

describe('the Sumsub API settings', () => {
  const token = 'sbx:uY0CgwELmgUAEyl4hNWxLngb.0WSeQeiYny4WEqmAALEAiK2qTC96fBad';

  it('are off without a token, and on with token and secret key', () => {
    expect(loadConfig({}).sumsubApi).toBeUndefined();
    const api = loadConfig({ SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq' }).sumsubApi;
    expect(api).toEqual({
      appToken: token,
      secretKey: 'Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq',
      baseUrl: 'https://api.sumsub.com',
      timeoutMs: 10_000,
      // Half of Sumsub's 300 per 5 s per fixed window: no window of any alignment sees more than 300.
      limiter: { max: 150, duration: 5000 },
      sandbox: true,
    });
  });

  it('keep the token and secret out of the flat configuration', () => {
    const config = loadConfig({ SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'secret-key-value' }) as unknown as Record<string, unknown>;
    expect(config.SUMSUB_APP_TOKEN).toBeUndefined();
    expect(config.SUMSUB_SECRET_KEY).toBeUndefined();
  });

  it.each([
    [{ SUMSUB_APP_TOKEN: token }, /set both/],
    [{ SUMSUB_SECRET_KEY: 'k' }, /set both/],
    [{ RECONCILE_INTERVAL: '15m' }, /RECONCILE_INTERVAL: needs SUMSUB_APP_TOKEN/],
    [{ SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'k', RECONCILE_INTERVAL: 'often' }, /RECONCILE_INTERVAL/],
    [{ SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'k', SUMSUB_API_RATE: '300 per 5s' }, /SUMSUB_API_RATE/],
    [
      {
        NODE_ENV: 'production',
        SUMSUB_WEBHOOK_SECRET: 'w',
        SUMSUB_APP_TOKEN: token,
        SUMSUB_SECRET_KEY: 'k',
        SUMSUB_API_URL: 'http://api.example.com',
      },
      /must be https in production/,
    ],
  ])('refuse %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('read RECONCILE_INTERVAL and the rate', () => {
    const config = loadConfig({ SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'k', RECONCILE_INTERVAL: '15m', SUMSUB_API_RATE: '60/1m' });
    expect(config.reconcileIntervalMs).toBe(900_000);
    expect(config.sumsubApi?.limiter).toEqual({ max: 30, duration: 60_000 });
  });

  it('warn about a sandbox token in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', SUMSUB_WEBHOOK_SECRET: 'w', SUMSUB_APP_TOKEN: token, SUMSUB_SECRET_KEY: 'k' });
    expect(sumsubApiStatus(config.sumsubApi, config.production).warning).toMatch(/sandbox token/);
    expect(sumsubApiStatus(undefined, true)).toEqual({ line: expect.stringMatching(/^off/) });
  });
});

describe('API token settings', () => {
  const A = 'alice-token-0123456789';
  const B = 'bob-token-0123456789ab';
  const refused = (env: Record<string, string>, variable: string, why: RegExp) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(
        problems.some((p) => p.startsWith(`${variable}:`) && why.test(p)),
        problems.join('\n'),
      ).toBe(true);
      // A token value never appears in the message.
      for (const token of Object.values(env).flatMap((v) => v.split(/[,=]/)))
        if (token.length >= 16) expect(problems.join()).not.toContain(token);
      return;
    }
    throw new Error(`expected ${variable} to be refused`);
  };

  it('accepts distinct names and values in both roles', () => {
    const config = loadConfig({
      API_ADMIN_TOKENS: `alice=${A}`,
      API_READ_TOKENS: `reporting=${B}`,
      API_ADMIN_TOKEN: 'admin-token-0123456789',
    });
    expect(config.tokens).toEqual({
      read: [{ name: 'reporting', token: B }],
      admin: [
        { name: 'admin', token: 'admin-token-0123456789' },
        { name: 'alice', token: A },
      ],
    });
  });

  it('refuses one token value under two names, in one role or across roles', () => {
    refused({ API_ADMIN_TOKENS: `alice=${A},bob=${A}` }, 'API_ADMIN_TOKENS', /also the token of alice/);
    refused({ API_ADMIN_TOKEN: A, API_READ_TOKEN: A }, 'API_ADMIN_TOKEN', /also the token of read \(API_READ_TOKEN\)/);
    refused({ API_READ_TOKENS: `reporting=${A}`, API_ADMIN_TOKENS: `alice=${A}` }, 'API_ADMIN_TOKENS', /also the token of reporting/);
  });

  it('refuses a name used for two roles, or twice', () => {
    refused({ API_READ_TOKENS: `alice=${B}`, API_ADMIN_TOKENS: `alice=${A}` }, 'API_ADMIN_TOKENS', /alice is used for both roles/);
    refused({ API_ADMIN_TOKENS: `alice=${A},Alice=${B}` }, 'API_ADMIN_TOKENS', /Alice is used twice/);
  });

  it("refuses the service's own actor names and a read token named admin", () => {
    refused({ API_ADMIN_TOKENS: `scheduler=${A}` }, 'API_ADMIN_TOKENS', /scheduler is the service's own actor/);
    refused({ API_ADMIN_TOKENS: `sumsub=${A}` }, 'API_ADMIN_TOKENS', /sumsub is the service's own actor/);
    refused({ API_READ_TOKENS: `admin=${A}` }, 'API_READ_TOKENS', /cannot be named admin/);
    refused({ API_ADMIN_TOKENS: `read=${A}` }, 'API_ADMIN_TOKENS', /cannot be named read/);
  });

  it('refuses names and values outside the safe alphabets', () => {
    refused({ API_ADMIN_TOKENS: `al ice=${A}` }, 'API_ADMIN_TOKENS', /not 1-64 letters/);
    refused({ API_ADMIN_TOKENS: 'alice=token with spaces 0123' }, 'API_ADMIN_TOKENS', /token of alice must be/);
    refused({ API_ADMIN_TOKEN: 'täken-0123456789abcdef' }, 'API_ADMIN_TOKEN', /token of admin must be/);
    refused({ API_READ_TOKEN: 'token"0123456789abcdef' }, 'API_READ_TOKEN', /token of read must be/);
    refused({ API_ADMIN_TOKENS: 'alice=short' }, 'API_ADMIN_TOKENS', /16 or more/);
  });
});
