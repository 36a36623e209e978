import { randomBytes } from 'node:crypto';
import { migratePostgres } from '@kyc/db';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ADMIN_URL, createFromTemplate } from './pg-admin.ts';
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

/** Drops every database this run created (the shared one, the template, and files' own). */
async function dropRunDatabases(runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `kyc_test_${runId}%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * One database and one queue-prefix namespace per test run, so runs never
 * collide. The migrated template (never connected to) lets a test file that
 * needs a database of its own create one in milliseconds (ownDatabase()).
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = (database: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
  const template = `kyc_test_${runId}_template`;
  await migratePostgres(url(template));
  await createFromTemplate(`kyc_test_${runId}`, template);
  project.provide('databaseUrl', url(`kyc_test_${runId}`));
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
  return async () => {
    await dropRunKeys(runId);
    await dropRunDatabases(runId);
  };
}
