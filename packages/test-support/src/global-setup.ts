import { randomBytes } from 'node:crypto';
import { migratePostgres } from '@kyc/db';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { ADMIN_URL, runSql } from './pg-admin.ts';
import './provided-context.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every Redis key this run created (all test prefixes start with the run id). */
async function dropRunKeys(runId: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{kyc-test-${runId}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** One database and one queue-prefix namespace per test run, so runs never collide. */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `kyc_test_${runId}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  await migratePostgres(url.toString());
  project.provide('databaseUrl', url.toString());
  project.provide('runId', runId);
  return async () => {
    await dropRunKeys(runId);
    await runSql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
}
