import { type Check, connectionCause, type Dependency } from '@kyc/runtime';
import { pgSql, type Sql } from './sql.ts';
import { pendingMigrations } from './migrations.ts';

/** Readiness checks: the database answers, and every committed migration and SQL function is applied. */
export function databaseChecks(sql: Sql): Record<'database' | 'migrations', Check> {
  // Both checks read the one query of a probe.
  let probe: Promise<string[]> | undefined;
  const pending = () => {
    probe ??= pendingMigrations(sql).finally(() => setTimeout(() => (probe = undefined), 0));
    return probe;
  };
  return {
    database: async () => {
      await pending();
      return 'ok';
    },
    migrations: async () => {
      const names = await pending();
      return names.length === 0 ? 'ok' : { pending: names };
    },
  };
}

// PostgreSQL's "database does not exist" (invalid_catalog_name): the server answers.
const NO_SUCH_DATABASE = '3D000';

/**
 * PostgreSQL answering a query, for waiting at start (the message names no
 * credentials). `createsDatabase`: the caller migrates, which creates a missing
 * database (`pnpm start`), so a server that answers is enough; the others wait,
 * saying which command creates it.
 */
export function databaseDependency(url: string, options: { createsDatabase?: boolean } = {}): Dependency {
  return {
    name: 'the database',
    async problem() {
      const sql = pgSql(url, 1);
      try {
        await sql.query('SELECT 1');
        return undefined;
      } catch (error) {
        const { host, pathname } = new URL(url);
        const cause = connectionCause(error);
        if (cause !== NO_SUCH_DATABASE) return `PostgreSQL at ${host}${pathname} is unreachable (${cause})`;
        if (options.createsDatabase) return undefined;
        return `PostgreSQL at ${host} has no database ${pathname.slice(1)}: run pnpm migrate:deploy (the image's migrate role) to create it`;
      } finally {
        await sql.close().catch(() => undefined);
      }
    },
  };
}
