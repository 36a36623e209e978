import { committedMigrations as listMigrations } from '@kyc/schema-engine/migrations';
import type { Sql } from './sql.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { INSTALLED_VERSION_SQL, sqlFunctions } from './sql-functions.ts';

/** Names of the committed migration directories, oldest first. */
export const committedMigrations = (dir = MIGRATIONS_DIR): Promise<string[]> => listMigrations(dir);

/** Names of committed migrations the database has not finished applying, and stale SQL functions. */
export async function pendingMigrations(sql: Sql): Promise<string[]> {
  const committed = await committedMigrations();
  let applied: { migrationName: string }[];
  try {
    applied = await sql.query<{ migrationName: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
  } catch (error) {
    if (/_prisma_migrations/.test(String(error))) return committed;
    throw error;
  }
  const done = new Set(applied.map((m) => m.migrationName));
  const pending = committed.filter((name) => !done.has(name));
  const [installed] = await sql.query<{ version: string | null }>(INSTALLED_VERSION_SQL);
  if (installed?.version !== sqlFunctions().version) pending.push('sql functions (packages/db/sql)');
  return pending;
}
