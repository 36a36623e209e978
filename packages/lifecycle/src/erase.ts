import { countErasedJobs, eraseApplicantRows, type Sql } from '@kyc/db/plain';
import { jobsOf, matchers } from './applicant-jobs.ts';
import type { LifecycleQueues } from './queues.ts';

export type Erasure = { applicantId: string; erasedAt: string; events: number; jobs: number };

/** How long an erasure waits for an applicant's running jobs to finish before removing them. */
const ACTIVE_WAIT_MS = 30_000;

/**
 * Erases one person: the database first (record, events with payloads and raw
 * bodies, document results, notifications; a tombstone stays, and from then on
 * deliveries for the applicant are acknowledged and only counted), then every job
 * of theirs in Redis, in every state. A running job is let finish (it finds the
 * tombstone and stores nothing), then removed.
 */
export async function eraseApplicant(sql: Sql, queues: LifecycleQueues, applicantId: string, actor: string): Promise<Erasure> {
  const rows = await eraseApplicantRows(sql, applicantId, actor);
  const deliveryIds = new Set(rows.deliveryIds);
  let jobs = 0;
  for (const [queue, match] of matchers(queues, applicantId, deliveryIds)) {
    const deadline = Date.now() + ACTIVE_WAIT_MS;
    for (;;) {
      const found = await jobsOf(queue, match);
      for (const { job } of found.filter((f) => !f.active)) {
        await job.remove();
        jobs++;
      }
      if (!found.some((f) => f.active) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await countErasedJobs(sql, applicantId, jobs);
  return { applicantId, erasedAt: rows.erasedAt.toISOString(), events: rows.events, jobs };
}
