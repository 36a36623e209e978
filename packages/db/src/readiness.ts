import type { Check } from '@kyc/runtime';
import type { Sql } from './sql.ts';
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
