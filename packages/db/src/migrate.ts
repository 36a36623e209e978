import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createAdapterFactory } from '../../../prisma/schema-engine/adapter.mjs';
import { ensureDatabase } from '../../../prisma/schema-engine/cli-commands.mjs';
import { loadSchemaEngine } from '../../../prisma/schema-engine/wasm.mjs';
import { committedMigrations } from './migrations.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';

async function migrationsList(baseDir: string) {
  const directories = await committedMigrations(baseDir);
  const lockfile = await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * `prisma migrate deploy`, in process: Prisma's own schema engine (its WebAssembly
 * build) applies the committed migrations through a driver adapter. PostgreSQL and
 * the embedded database share this path; only the adapter differs.
 */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const panics = { last: undefined as string | undefined };
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const engine = await loadSchemaEngine([[SCHEMA_PATH, schema]], bindMigrationAwareSqlAdapterFactory(factory), log, panics);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await migrationsList(MIGRATIONS_DIR),
      filters: { externalTables: [], externalEnums: [] },
    });
    return appliedMigrationNames;
  } catch (error) {
    throw new Error(`migrations failed: ${panics.last ?? (error instanceof Error ? error.message : JSON.stringify(error))}`, {
      cause: error,
    });
  } finally {
    engine.free();
  }
}

/** Creates the PostgreSQL database if needed, then applies pending migrations. */
export async function migratePostgres(databaseUrl: string, log?: (line: string) => void): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  return applyMigrations(createAdapterFactory({ url: databaseUrl }), log);
}
