import { countErasedJobs, eraseApplicantRows, type ErasedRows, type Sql } from '@kyc/db/plain';
import { applicantJobs, hasJobs, type KnownJobIds } from './applicant-jobs.ts';
import { scrubEventStream } from './event-streams.ts';
import { allQueues, type ErasureQueues } from './queues.ts';

export type Erasure = { applicantId: string; erasedAt: string; events: number; jobs: number };

/** How long an erasure waits for an applicant's running jobs to finish before removing them. */
const ACTIVE_WAIT_MS = 30_000;

/**
 * Erases one person: the database first (record, events with payloads and raw
 * bodies, document results, notifications; a tombstone stays, and from then on
 * deliveries for the applicant are acknowledged and only counted), then every job
 * of theirs in Redis, in every state, and the queues' event-stream entries about
 * them. A running job is let finish (it finds the tombstone and stores nothing),
 * then removed.
 *
 * Undefined, and nothing erased, for an id nobody has seen (no record, no event in
 * the database or in any queue), unless `force`: a tombstone for a mistyped id
 * would drop that person's real events later.
 */
export async function eraseApplicant(
  sql: Sql,
  queues: ErasureQueues,
  applicantId: string,
  actor: string,
  { force = false }: { force?: boolean } = {},
): Promise<Erasure | undefined> {
  let rows = await eraseApplicantRows(sql, applicantId, actor, force);
  // Unknown to the database, but its events may be waiting in Redis (workers down).
  if (!rows && (await hasJobs(queues, applicantId))) rows = await eraseApplicantRows(sql, applicantId, actor, true);
  if (!rows) return undefined;
  const removed = await removeJobs(queues, knownIds(applicantId, rows));
  for (const queue of allQueues(queues)) await scrubEventStream(queues.redis, queue, applicantId, removed.ids);
  await countErasedJobs(sql, applicantId, removed.count);
  return { applicantId, erasedAt: rows.erasedAt.toISOString(), events: rows.events, jobs: removed.count };
}

const knownIds = (applicantId: string, rows: ErasedRows): KnownJobIds => ({
  applicantId,
  eventIds: rows.eventIds,
  deliveries: rows.deliveryIds.map((deliveryId, i) => ({ deliveryId, generation: rows.deliveryGenerations[i] ?? 0 })),
});

/** Removes every job of the applicant (letting running ones finish first, up to ACTIVE_WAIT_MS); returns their ids and number. */
async function removeJobs(queues: ErasureQueues, known: KnownJobIds): Promise<{ ids: Set<string>; count: number }> {
  const removed = { ids: new Set<string>(), count: 0 };
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  for (;;) {
    let running = false;
    for (const [, found] of await applicantJobs(queues, known)) {
      for (const { job, active } of found) {
        if (active) {
          running = true;
          continue;
        }
        await job.remove();
        removed.count++;
        if (job.id !== undefined) removed.ids.add(job.id);
      }
    }
    if (!running || Date.now() > deadline) return removed;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
