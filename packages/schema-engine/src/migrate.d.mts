import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export { committedMigrations } from './migration-dirs.mjs';
export function applyMigrations(options: {
  factory: SqlMigrationAwareDriverAdapterFactory;
  schemaPath: string;
  migrationsDir: string;
  log?: (line: string) => void;
}): Promise<string[]>;
