import { applyMigrations as applyPrismaMigrations, createAdapterFactory, ensureDatabase } from '@kyc/schema-engine';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { MIGRATIONS_DIR, SCHEMA_PATH } from './paths.ts';
import { installSqlFunctions } from './sql-functions.ts';

/**
 * `prisma migrate deploy`, in process, then the SQL functions (sql/*.sql).
 * PostgreSQL and the embedded database share this path; only the adapter differs.
 */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const applied = await applyPrismaMigrations({ factory, schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR, log });
  if (await installSqlFunctions(factory)) log('SQL functions (packages/db/sql) installed');
  return applied;
}

/** Creates the PostgreSQL database if needed, then applies pending migrations and the SQL functions. */
export async function migratePostgres(databaseUrl: string, log?: (line: string) => void): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  return applyMigrations(createAdapterFactory({ url: databaseUrl }), log);
}
