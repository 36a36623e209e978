import path from 'node:path';
import type { Config } from '@kyc/runtime';
import { API_POOL_SIZE } from '@kyc/api';
import { applyMigrations, createDb, type Db, migratePostgres, openEmbeddedPostgres, pgSql, prismaSql, type Sql } from '@kyc/db';

/**
 * PostgreSQL: this thread (intake and its reads) uses plain pg, and the worker
 * runs in its own thread with its own pools, from `url`. Embedded: everything,
 * the worker included, shares the one Prisma client over PGlite in this thread.
 */
export type Database = { description: string; sql: Sql; close: () => Promise<void> } & (
  { kind: 'postgres'; url: string } | { kind: 'embedded'; db: Db }
);

/**
 * PostgreSQL when DATABASE_URL is set, else an embedded PostgreSQL under DATA_DIR;
 * migrated either way with the same committed migrations.
 */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<Database> {
  if (config.DATABASE_URL) {
    const applied = await migratePostgres(config.DATABASE_URL);
    log(`PostgreSQL migrated (${applied.length} applied)`);
    const sql = pgSql(config.DATABASE_URL, API_POOL_SIZE);
    const { host, pathname } = new URL(config.DATABASE_URL);
    return { kind: 'postgres', url: config.DATABASE_URL, sql, description: `PostgreSQL ${host}${pathname}`, close: () => sql.close() };
  }
  const dataDir = path.resolve(config.DATA_DIR, 'pglite');
  const embedded = await openEmbeddedPostgres(dataDir);
  const applied = await applyMigrations(embedded.factory);
  log(`embedded PostgreSQL migrated (${applied.length} applied)`);
  const db = createDb(embedded.factory);
  return {
    kind: 'embedded',
    db,
    sql: prismaSql(db),
    description: `embedded PostgreSQL (PGlite) in ${dataDir}`,
    async close() {
      await db.$disconnect();
      await embedded.close();
    },
  };
}
