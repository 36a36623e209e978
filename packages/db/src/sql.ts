import pg from 'pg';
import type { Db } from './client.ts';

/**
 * The read side's way to PostgreSQL: SQL text and parameters in, rows with
 * camelCase keys out. The ingest runs it on plain `pg` (Prisma's query compiler
 * costs its process ~60 MB the moment it runs one query); the worker and
 * `pnpm start` run it through the Prisma client they already hold, so one set of
 * queries serves PostgreSQL and the embedded database alike.
 */
export interface Sql {
  query<T extends object>(text: string, values?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** snake_case columns as camelCase keys (the names Prisma's models use); bigint as text on either driver. */
function camelRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[camel(key)] = typeof value === 'bigint' ? value.toString() : value;
  return out;
}

export function pgSql(databaseUrl: string, poolSize: number): Sql {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined); // an idle connection dropped by the server; the next query reconnects
  return {
    async query<T extends object>(text: string, values: readonly unknown[] = []): Promise<T[]> {
      const result = await pool.query(text, [...values]);
      return result.rows.map((row: Record<string, unknown>) => camelRow(row) as T);
    },
    close: () => pool.end(),
  };
}

export function prismaSql(db: Db): Sql {
  return {
    async query<T extends object>(text: string, values: readonly unknown[] = []): Promise<T[]> {
      const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      return rows.map((row) => camelRow(row) as T);
    },
    // The Prisma client belongs to its owner, who disconnects it.
    close: async () => undefined,
  };
}
