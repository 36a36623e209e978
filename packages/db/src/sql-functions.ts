import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { SQL_DIR } from './paths.ts';

// The merge and apply rules are PostgreSQL functions kept in sql/*.sql, one home
// for each rule (as BullMQ keeps its commands in files). They are installed after
// the migrations, like a repeatable migration: whenever the files change, every
// kyc_* function is dropped and created again, in one transaction under an
// advisory lock. The installed version is the functions' COMMENT.

const MARKER_FUNCTION = 'kyc_apply_events(jsonb)';
const LOCK_KEY = 7_271_001;

type SqlFunctions = { version: string; script: string };

/** The files' contents, in name order, and a version that changes with any of them. */
export function sqlFunctions(dir = SQL_DIR): SqlFunctions {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  const body = files.map((name) => readFileSync(`${dir}/${name}`, 'utf8')).join('\n');
  return { version: `kyc-sql ${createHash('sha256').update(body).digest('hex').slice(0, 16)}`, script: body };
}

/** SQL that reads the installed version (NULL when the functions are missing). */
export const INSTALLED_VERSION_SQL = `SELECT obj_description(to_regprocedure('${MARKER_FUNCTION}'), 'pg_proc') AS version`;

function installScript({ version, script }: SqlFunctions): string {
  return `BEGIN;
SELECT pg_advisory_xact_lock(${LOCK_KEY});
DO $drop$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.proname LIKE 'kyc\\_%' LOOP
    EXECUTE 'DROP FUNCTION ' || f::text || ' CASCADE';
  END LOOP;
END $drop$;
${script}
COMMENT ON FUNCTION ${MARKER_FUNCTION} IS '${version}';
COMMIT;`;
}

/** Installs the functions through a migration adapter, unless the installed version is current. */
export async function installSqlFunctions(factory: SqlMigrationAwareDriverAdapterFactory): Promise<boolean> {
  const functions = sqlFunctions();
  const adapter = await factory.connect();
  try {
    const result = await adapter.queryRaw({ sql: INSTALLED_VERSION_SQL, args: [], argTypes: [] });
    if (result.rows[0]?.[0] === functions.version) return false;
    await adapter.executeScript(installScript(functions));
    return true;
  } finally {
    await adapter.dispose();
  }
}
