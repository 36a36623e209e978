import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from './generated/client.ts';

export type Db = PrismaClient;

/**
 * The only place that knows which driver runs underneath. Everything else takes a
 * Db, so PostgreSQL and the embedded database differ only here.
 */
export function createDb(adapter: SqlDriverAdapterFactory): Db {
  return new PrismaClient({ adapter });
}

export function postgresAdapter(databaseUrl: string, poolSize: number): SqlDriverAdapterFactory {
  return new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
}
