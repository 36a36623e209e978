import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided-context.ts';

/** The server's maintenance database, for creating and dropping per-run databases. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Runs one SQL text on its own short-lived connection. */
export async function runSql(sql: string, databaseUrl = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A copy of a template database; retried while the template is still "in use" (a pool lets go of it a moment late). */
export async function createFromTemplate(database: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runSql(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * A database of the caller's own, migrated (copied from the run's template):
 * for tests whose rows other files must not see (endpoints, for one, make every
 * change in the database notify). Dropped with the run, or by drop().
 */
export async function ownDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kyc_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await createFromTemplate(name, inject('templateDatabase'));
  return {
    url: Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString(),
    drop: () => runSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
