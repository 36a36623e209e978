import { purgePayloads, type Sql } from '@kyc/db/plain';
import { allQueues, type ErasureQueues } from './queues.ts';

export type Purged = { events: number; notifications: number; jobs: number; horizon: string };

const BATCH = 5_000;
const CLEAN_LIMIT = 10_000;

/**
 * Expiry: payloads and raw bodies of events received before `horizon` are
 * stripped (ids, type, times, status and review answer stay), notification
 * bodies with nothing left to deliver are emptied, and finished jobs older than
 * the horizon leave Redis. `horizon` is passed in, so a test injects the time.
 */
export async function purge(sql: Sql, queues: ErasureQueues, horizon: Date): Promise<Purged> {
  const total = { events: 0, notifications: 0, jobs: 0 };
  for (;;) {
    const pass = await purgePayloads(sql, horizon, BATCH);
    total.events += pass.events;
    total.notifications += pass.notifications;
    if (pass.events < BATCH && pass.notifications < BATCH) break;
  }
  const grace = Math.max(0, Date.now() - horizon.getTime());
  for (const queue of allQueues(queues)) {
    for (const state of ['completed', 'failed'] as const) {
      for (;;) {
        const removed = await queue.clean(grace, CLEAN_LIMIT, state);
        total.jobs += removed.length;
        if (removed.length < CLEAN_LIMIT) break;
      }
    }
  }
  return { ...total, horizon: horizon.toISOString() };
}

/** The horizon for a retention of `days` days, now. */
export const horizonOf = (days: number, now = Date.now()) => new Date(now - days * 86_400_000);
