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

/** PostgreSQL answering a query, for waiting at start (the message names no credentials). */
export function databaseDependency(url: string): Dependency {
  return {
    name: 'the database',
    async problem() {
      const sql = pgSql(url, 1);
      try {
        await sql.query('SELECT 1');
        return undefined;
      } catch (error) {
        const { host, pathname } = new URL(url);
        return `PostgreSQL at ${host}${pathname} is unreachable (${connectionCause(error)})`;
      } finally {
        await sql.close().catch(() => undefined);
      }
    },
  };
}
