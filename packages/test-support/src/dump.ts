import pg from 'pg';
import type { RedisClient } from '@kyc/runtime';

/** Every row of every table in the database, as JSON text, one string per row (the erasure proof reads them all). */
export async function dumpDatabase(databaseUrl: string): Promise<{ table: string; row: string }[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const rows: { table: string; row: string }[] = [];
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      rows.push(...result.rows.map(({ row }) => ({ table, row })));
    }
    return rows;
  } finally {
    await client.end();
  }
}

/** Every key under a prefix with its whole value as text, whatever the key's type. */
export async function dumpRedis(redis: RedisClient, prefix: string): Promise<{ key: string; value: string }[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const values: { key: string; value: string }[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    const value =
      type === 'string'
        ? await redis.get(key)
        : type === 'hash'
          ? await redis.hgetall(key)
          : type === 'list'
            ? await redis.lrange(key, 0, -1)
            : type === 'set'
              ? await redis.smembers(key)
              : type === 'zset'
                ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                : type === 'stream'
                  ? await redis.xrange(key, '-', '+')
                  : `(${type})`;
    values.push({ key, value: JSON.stringify(value) });
  }
  return values;
}
