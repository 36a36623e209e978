import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load-config.ts';

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
      WORKER_CONCURRENCY: 16,
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
