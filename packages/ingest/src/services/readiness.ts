import { type Db, pendingMigrations } from '@kyc/db';
import type { Redis } from 'ioredis';

/** 'ok', or what is wrong. */
export type CheckResult = string;
export type Readiness = { ready: boolean; checks: Record<'redis' | 'database' | 'migrations', CheckResult> };

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Redis answers, the database answers, and every committed migration is applied. */
export function createReadinessCheck({ redis, db, timeoutMs = 2_000 }: { redis: Redis; db: Db; timeoutMs?: number }) {
  return async (): Promise<Readiness> => {
    const [redisCheck, migrationCheck] = await Promise.allSettled([
      within(timeoutMs, redis.ping()),
      within(timeoutMs, pendingMigrations(db)),
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
