// `prisma migrate deploy`, in process: Prisma's schema engine (its WebAssembly
// build) applies the committed migrations through a migration-aware driver
// adapter factory: PostgreSQL (createAdapterFactory) or an embedded one.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { committedMigrations } from './migration-dirs.mjs';
import { exclusive, loadSchemaEngine } from './wasm.mjs';

export { committedMigrations };

/** The migrations list the engine expects. @param {string} baseDir */
async function migrationsList(baseDir) {
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
          content: { tag: 'ok', value: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * Applies pending migrations; resolves with the names applied.
 * @param {{ factory: import('@prisma/driver-adapter-utils').SqlMigrationAwareDriverAdapterFactory, schemaPath: string, migrationsDir: string, log?: (line: string) => void }} options
 * @returns {Promise<string[]>}
 */
export function applyMigrations({ factory, schemaPath, migrationsDir, log = () => undefined }) {
  return exclusive(async () => {
    const panics = { last: /** @type {string | undefined} */ (undefined) };
    const schema = await readFile(schemaPath, 'utf8');
    const engine = await loadSchemaEngine([[schemaPath, schema]], bindMigrationAwareSqlAdapterFactory(factory), log, panics);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: await migrationsList(migrationsDir),
        filters: { externalTables: [], externalEnums: [] },
      });
      return appliedMigrationNames;
    } catch (error) {
      const message = panics.last ?? (error instanceof Error ? error.message : JSON.stringify(error));
      throw new Error(`migrations failed: ${message}`, { cause: error });
    } finally {
      engine.free();
    }
  });
}
