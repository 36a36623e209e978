import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export function createAdapterFactory(datasource: { url: string; shadowDatabaseUrl?: string }): SqlMigrationAwareDriverAdapterFactory;
