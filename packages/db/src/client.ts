import { createHash } from 'node:crypto';
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

/**
 * Statements are prepared under a name derived from their text, so PostgreSQL
 * parses and plans each distinct statement once per connection (the worker's
 * upsert is large; planning it on every event halved throughput). Every value is
 * a parameter, so the set of texts is small and fixed.
 */
const statementName = (query: { sql: string }) => `kyc_${createHash('sha1').update(query.sql).digest('hex').slice(0, 20)}`;

export function postgresAdapter(databaseUrl: string, poolSize: number): SqlDriverAdapterFactory {
  return new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 },
    { statementNameGenerator: statementName },
  );
}
