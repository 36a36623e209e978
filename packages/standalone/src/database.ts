import path from 'node:path';
import type { Config } from '@kyc/contracts';
import { APPLY_IN_FLIGHT, WORKER_POOL_SIZE } from '@kyc/worker';
import { applyMigrations, createDb, type Db, migratePostgres, openEmbeddedPostgres, pgSql, postgresAdapter, type Sql } from '@kyc/db';

/** `applySql`: the worker's apply statement over plain pg (PostgreSQL only; the embedded database goes through Prisma). */
export type Database = { db: Db; applySql?: Sql; description: string; close: () => Promise<void> };

/**
 * PostgreSQL when DATABASE_URL is set, else an embedded PostgreSQL under DATA_DIR;
 * migrated either way with the same committed migrations. This is the only place
 * the two differ: which driver adapter is made.
 */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<Database> {
  if (config.DATABASE_URL) {
    const applied = await migratePostgres(config.DATABASE_URL);
    log(`PostgreSQL migrated (${applied.length} applied)`);
    // The worker's pool and the ingest's reads (pnpm start runs both on this one client).
    const db = createDb(postgresAdapter(config.DATABASE_URL, WORKER_POOL_SIZE + 5));
    const applySql = pgSql(config.DATABASE_URL, APPLY_IN_FLIGHT);
    const { host, pathname } = new URL(config.DATABASE_URL);
    return {
      db,
      applySql,
      description: `PostgreSQL ${host}${pathname}`,
      async close() {
        await applySql.close();
        await db.$disconnect();
      },
    };
  }
  const dataDir = path.resolve(config.DATA_DIR, 'pglite');
  const embedded = await openEmbeddedPostgres(dataDir);
  const applied = await applyMigrations(embedded.factory);
  log(`embedded PostgreSQL migrated (${applied.length} applied)`);
  const db = createDb(embedded.factory);
  return {
    db,
    description: `embedded PostgreSQL (PGlite) in ${dataDir}`,
    async close() {
      await db.$disconnect();
      await embedded.close();
    },
  };
}
