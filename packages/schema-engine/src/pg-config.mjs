import pg from 'pg';

// Turns a postgres:// URL into discrete pg.Client fields.
// Why discrete: PrismaPg builds its shadow-database config as `{...config, database}`;
// with a `connectionString` in that config pg ignores `database`, so the "shadow"
// database would silently be the main one. Discrete fields make the override real.

/**
 * Opens one pg client, runs `fn` with it, and always closes it.
 * @param {import('pg').ClientConfig} config @param {(client: pg.Client) => Promise<unknown>} fn
 */
export async function withClient(config, fn) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * @param {string} url
 * @returns {import('pg').ClientConfig & { schema?: string }}
 */
export function pgConfigFromUrl(url) {
  const parsed = new URL(url);
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new Error(`unsupported database URL scheme ${parsed.protocol} (expected postgresql://)`);
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  const sslmode = parsed.searchParams.get('sslmode');
  const host = parsed.searchParams.get('host') ?? decodeURIComponent(parsed.hostname);
  return {
    host: host || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' } : undefined,
    options: schema ? `-c search_path="${schema}"` : undefined,
    schema,
  };
}

/** @param {string} name */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}
