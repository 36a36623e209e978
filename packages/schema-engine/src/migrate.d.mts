import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export function committedMigrations(dir: string): Promise<string[]>;
export function applyMigrations(options: {
  factory: SqlMigrationAwareDriverAdapterFactory;
  schemaPath: string;
  migrationsDir: string;
  log?: (line: string) => void;
}): Promise<string[]>;
