// `schema-engine cli <command>`: the one-shot database commands the Prisma CLI runs
// before migrate commands. Failures are reported the way the native engine does:
// a JSON log line with `error_code` on stderr and exit code 1.
import { pgConfigFromUrl, quoteIdent, withClient } from './pg-config.mjs';

/** @param {string} message @param {string} [errorCode] */
function logError(message, errorCode) {
  const fields = errorCode ? { message, error_code: errorCode } : { message };
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', fields, target: 'schema_engine::logger' })}\n`);
}

/** Maps a pg connection error onto Prisma's P1xxx codes. @param {any} error */
function errorCodeOf(error) {
  if (error?.code === '3D000') return 'P1003';
  if (error?.code === '28P01' || error?.code === '28000') return 'P1000';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(error?.code)) return 'P1001';
  return undefined;
}

/** Connects (within 10 s) and runs `sql`, if any. @param {import('pg').ClientConfig} config @param {string} [sql] */
const run = (config, sql) =>
  withClient({ ...config, connectionTimeoutMillis: 10_000 }, (client) => (sql ? client.query(sql) : Promise.resolve()));

/** @param {string} command @param {{ url: string }} datasource @returns {Promise<number>} */
export async function runCliCommand(command, datasource) {
  const { schema: _schema, ...config } = pgConfigFromUrl(datasource.url);
  const maintenance = { ...config, database: 'postgres' };
  const name = quoteIdent(config.database ?? '');
  try {
    if (command === 'can-connect-to-database') await run(config);
    else if (command === 'create-database') await run(maintenance, `CREATE DATABASE ${name}`);
    else if (command === 'drop-database') await run(maintenance, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else {
      logError(`unknown cli command: ${command}`);
      return 1;
    }
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logError(message, errorCodeOf(error));
    return 1;
  }
}

/**
 * Creates the database named in `url` when it does not exist (what `prisma migrate
 * deploy` does first). Resolves true when it was created.
 * @param {string} url
 */
export async function ensureDatabase(url) {
  const { schema: _schema, ...config } = pgConfigFromUrl(url);
  try {
    await run(config);
    return false;
  } catch (error) {
    if (/** @type {any} */ (error)?.code !== '3D000') throw error;
  }
  try {
    await run({ ...config, database: 'postgres' }, `CREATE DATABASE ${quoteIdent(config.database ?? '')}`);
  } catch (error) {
    if (/** @type {any} */ (error)?.code !== '42P04') throw error; // created meanwhile by another process
  }
  return true;
}
