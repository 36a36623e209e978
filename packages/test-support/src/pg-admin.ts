import pg from 'pg';

/** The server's maintenance database, for creating and dropping per-run databases. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Runs one SQL text on its own short-lived connection. */
export async function runSql(sql: string, databaseUrl = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
