import { type Db, pendingMigrations } from '@kyc/db';
import type { Redis } from 'ioredis';
import { withTimeout } from './timeout.ts';

/** 'ok', or what is wrong. */
export type CheckResult = string;
export type Readiness = { ready: boolean; checks: Record<'redis' | 'database' | 'migrations', CheckResult> };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Redis answers, the database answers, and every committed migration is applied. */
export function createReadinessCheck({ redis, db, timeoutMs = 2_000 }: { redis: Redis; db: Db; timeoutMs?: number }) {
  return async (): Promise<Readiness> => {
    const [redisCheck, migrationCheck] = await Promise.allSettled([
      withTimeout(redis.ping(), timeoutMs),
      withTimeout(pendingMigrations(db), timeoutMs),
    ]);
    const checks: Readiness['checks'] = {
      redis: redisCheck.status === 'fulfilled' ? 'ok' : message(redisCheck.reason),
      database: migrationCheck.status === 'fulfilled' ? 'ok' : message(migrationCheck.reason),
      migrations:
        migrationCheck.status === 'rejected'
          ? 'unknown: database unreachable'
          : migrationCheck.value.length === 0
            ? 'ok'
            : `pending: ${migrationCheck.value.join(', ')}`,
    };
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  };
}
