import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '@kyc/runtime';
import { inject } from 'vitest';
import './provided-context.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_SECRET = 'test-webhook-secret';
export const READ_TOKEN = 'read-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

/** A queue prefix no other test or run shares (cleaned up by the global setup). */
export function testPrefix(): string {
  return `{kyc-test-${inject('runId')}-${randomBytes(4).toString('hex')}}`;
}

export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

/** A validated Config for tests: this run's database, a fresh queue prefix, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config & { DATABASE_URL: string } {
  // On a cluster, the seeds replace the test Redis.
  const redis = overrides.REDIS_CLUSTER_NODES ? {} : { REDIS_URL: TEST_REDIS_URL };
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...redis,
    DATABASE_URL: testDatabaseUrl(),
    QUEUE_PREFIX: testPrefix(),
    SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    API_READ_TOKEN: READ_TOKEN,
    API_ADMIN_TOKEN: ADMIN_TOKEN,
    JOB_BACKOFF_MS: '50',
    ...overrides,
  });
  return { ...config, DATABASE_URL: config.DATABASE_URL ?? testDatabaseUrl() };
}

export function randomApplicantId(): string {
  return randomBytes(12).toString('hex');
}

/** The repository's root, as a URL (fixtures live under test/fixtures). */
export const REPO_ROOT_URL = new URL('../../../', import.meta.url);
