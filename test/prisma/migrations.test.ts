import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { committedMigrations, createDb, migratePostgres, pendingMigrations, postgresAdapter, prismaSql, REPO_ROOT } from '@kyc/db';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const run = promisify(execFile);
const prisma = createRequire(import.meta.url).resolve('prisma/build/index.js');
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `kyc_test_${inject('runId')}_fresh`;
const freshUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();

/** The Prisma CLI as a user runs it, with no route to any engine download host. */
function prismaCli(args: string[], databaseUrl = freshUrl) {
  return run(process.execPath, [prisma, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9' },
  });
}

async function adminQuery<T extends pg.QueryResultRow>(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const databases = async () => (await adminQuery<{ datname: string }>('SELECT datname FROM pg_database')).map((r) => r.datname);
// Shadow databases only (packages/schema-engine/src/adapter.mjs names them): other
// test files create and drop their own databases on the same server meanwhile.
const shadows = async () => (await databases()).filter((name) => name.startsWith('prisma_shadow_')).sort();

const others = [`${database}_a`, `${database}_b`];
afterAll(async () => {
  for (const name of [database, ...others]) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('Prisma with the offline wasm schema engine', () => {
  it('migrates a database that does not exist yet from zero: the Prisma CLI offline, then pnpm migrate:deploy for the SQL functions', async () => {
    expect(await databases()).not.toContain(database);
    const { stdout } = await prismaCli(['migrate', 'deploy']);
    expect(stdout).toMatch(/successfully applied|No pending migrations/);
    const db = createDb(postgresAdapter(freshUrl, 1));
    try {
      // Prisma knows tables, not the functions the merge lives in: readiness says so.
      expect(await pendingMigrations(prismaSql(db))).toEqual(['sql functions (packages/db/sql)']);
      const deploy = await run('pnpm', ['migrate:deploy'], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: freshUrl } });
      expect(deploy.stdout).toMatch(/SQL functions \(packages\/db\/sql\) installed/);
      expect(await pendingMigrations(prismaSql(db))).toEqual([]);
      expect(await committedMigrations()).not.toHaveLength(0);
    } finally {
      await db.$disconnect();
    }
    const status = await prismaCli(['migrate', 'status']);
    expect(status.stdout).toMatch(/Database schema is up to date/);
  });

  it('finds no drift between schema.prisma and the committed migrations, using a shadow database that is not the main one', async () => {
    const before = await shadows();
    const diff = await prismaCli([
      'migrate',
      'diff',
      '--from-migrations',
      'prisma/migrations',
      '--to-schema',
      'prisma/schema.prisma',
      '--exit-code',
    ]);
    expect(diff.stdout).toMatch(/No difference detected/);
    // The shadow database was created beside the main one and dropped again.
    expect(await shadows()).toEqual(before);
    const db = createDb(postgresAdapter(freshUrl, 1));
    try {
      expect(await pendingMigrations(prismaSql(db))).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  });

  it('reports drift with a non-zero exit when the database and the schema differ', async () => {
    await run('psql', [freshUrl, '-qc', 'ALTER TABLE applicants ADD COLUMN drift_probe text']);
    await expect(
      prismaCli(['migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema.prisma', '--exit-code']),
    ).rejects.toMatchObject({ code: 2 });
  });

  it('runs migrate dev with no changes to make, leaving no shadow database behind', async () => {
    await run('psql', [freshUrl, '-qc', 'ALTER TABLE applicants DROP COLUMN drift_probe']);
    const before = await shadows();
    const { stdout } = await prismaCli(['migrate', 'dev']);
    expect(stdout).toMatch(/Already in sync|in sync with your schema/);
    expect(await shadows()).toEqual(before);
  });

  it("migrates several databases from one process (the wasm module is instantiated once), leaving the app's pg untouched", async () => {
    const original = Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query');
    for (const name of others) {
      const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
      expect(await migratePostgres(url)).toEqual(await committedMigrations());
      expect(await migratePostgres(url)).toEqual([]);
    }
    // The engine's catalog type fix lives in its own client class.
    expect(Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query')).toEqual(original);
  });
});
