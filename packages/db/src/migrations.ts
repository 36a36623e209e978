import { committedMigrations as listMigrations } from '@kyc/schema-engine';
import type { Db } from './client.ts';
import { MIGRATIONS_DIR } from './paths.ts';
import { INSTALLED_VERSION_SQL, sqlFunctions } from './sql-functions.ts';

export const committedMigrations = (dir = MIGRATIONS_DIR): Promise<string[]> => listMigrations(dir);

/** Names of committed migrations the database has not finished applying, and stale SQL functions. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const committed = await committedMigrations();
  let applied: { migration_name: string }[];
  try {
    applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  } catch (error) {
    if (/_prisma_migrations/.test(String(error))) return committed;
    throw error;
  }
  const done = new Set(applied.map((m) => m.migration_name));
  const pending = committed.filter((name) => !done.has(name));
  const [installed] = await db.$queryRawUnsafe<{ version: string | null }[]>(INSTALLED_VERSION_SQL);
  if (installed?.version !== sqlFunctions().version) pending.push('sql functions (packages/db/sql)');
  return pending;
}
