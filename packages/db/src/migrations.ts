import { readdir } from 'node:fs/promises';
import type { Db } from './client.ts';

import { MIGRATIONS_DIR } from './paths.ts';

export async function committedMigrations(dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Names of committed migrations the database has not finished applying. */
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
  return committed.filter((name) => !done.has(name));
}
