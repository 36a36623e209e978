import { eventJob, oneLineCause } from '@kyc/jobs';
import {
  countEvents,
  findEventForReplay,
  findEventStatus,
  findEventsToReplay,
  type EventFilter,
  type ReplayableEvent,
  type Sql,
} from '@kyc/db/plain';
import { decodeEventCursor, encodeEventCursor } from './cursor.ts';
import type { EventQueues } from '@kyc/jobs';

export type ReplayOutcome = 'replayed' | 'already_queued' | 'not_replayable';

/** An event's status in the database and what its job in Redis says (null: no job, e.g. removed after it finished). */
export type EventJobState = {
  eventId: string;
  status: string;
  lastError: string | null;
  job: { state: string; attempts: number; outcome: string | null; failureCause: string | null } | null;
};

const OPEN_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Re-runs events from the event table, so it works after Redis has dropped the
 * job. A dead letter still in the failed set is retried in place; a finished job
 * is replaced; a job still pending is left alone. The worker's exactly-once apply
 * makes replaying an applied event change nothing.
 */
export function createReplayer({ sql, queues }: { sql: Sql; queues: EventQueues }) {
  async function replayStored(event: ReplayableEvent): Promise<ReplayOutcome> {
    // The shard the event belongs to now (the shard count may have changed since).
    const queue = queues.queueFor({ eventId: event.eventId, payload: { applicantId: event.applicantId ?? undefined } });
    const existing = await queue.getJob(event.eventId);
    const state = existing ? await existing.getState() : 'unknown';
    if (OPEN_STATES.has(state)) return 'already_queued';
    if (existing && state === 'failed') {
      await existing.retry('failed');
      return 'replayed';
    }
    // The worker verifies the digest again: without the raw body it cannot.
    if (event.rawBody === null || event.digest === null || event.digestAlg === null) return 'not_replayable';
    if (existing) await existing.remove();
    const job = eventJob({
      eventId: event.eventId,
      rawBody: event.rawBody,
      digest: event.digest,
      digestAlgorithm: event.digestAlg,
      receivedAt: event.receivedAt.getTime(),
      source: event.source === 'reconcile' ? 'reconcile' : 'webhook',
      // The worker verifies it with this account's secrets again, and applies its ownership rule again.
      account: event.account,
    });
    await queue.add(job.name, job.data, job.opts);
    return 'replayed';
  }

  return {
    /** undefined when the event is not in the database. */
    async replayOne(eventId: string): Promise<ReplayOutcome | undefined> {
      const event = await findEventForReplay(sql, eventId);
      return event ? replayStored(event) : undefined;
    },

    /** One page of a filtered replay; `nextCursor` continues it. */
    async replayMany(filter: EventFilter, limit: number, cursor?: string) {
      const after = cursor ? decodeEventCursor(cursor) : undefined;
      const events = await findEventsToReplay(sql, filter, limit, after);
      const counts: Record<ReplayOutcome, number> = { replayed: 0, already_queued: 0, not_replayable: 0 };
      const replayedEventIds: string[] = [];
      for (const event of events) {
        const outcome = await replayStored(event);
        counts[outcome]++;
        if (outcome === 'replayed') replayedEventIds.push(event.eventId);
      }
      const last = events[events.length - 1];
      return {
        matched: events.length,
        replayed: counts.replayed,
        replayedEventIds,
        alreadyQueued: counts.already_queued,
        notReplayable: counts.not_replayable,
        nextCursor: last && events.length === limit ? encodeEventCursor(last) : null,
      };
    },

    /** The event's status in the database and its job in Redis (where a replay put it), or undefined without such an event. */
    async jobOf(eventId: string): Promise<EventJobState | undefined> {
      const event = await findEventStatus(sql, eventId);
      if (!event) return undefined;
      const queue = queues.queueFor({ eventId, payload: { applicantId: event.applicantId ?? undefined } });
      // The state first, then the job: a job read while it ran and a state read after it
      // failed would show a failure with the running attempt's empty cause.
      const state = await queue.getJobState(eventId);
      const job = state === 'unknown' ? undefined : await queue.getJob(eventId);
      return {
        eventId,
        status: event.status,
        lastError: event.lastError ? oneLineCause(event.lastError) : null,
        job: job
          ? {
              state,
              attempts: job.attemptsMade,
              outcome: state === 'completed' && typeof job.returnvalue === 'string' ? job.returnvalue : null,
              failureCause: state === 'failed' ? oneLineCause(job.failedReason) : null,
            }
          : null,
      };
    },

    /** A dry run: how many events the filter selects from the cursor on; nothing is replayed. */
    async count(filter: EventFilter, cursor?: string): Promise<number> {
      return countEvents(sql, filter, cursor ? decodeEventCursor(cursor) : undefined);
    },
  };
}

export type Replayer = ReturnType<typeof createReplayer>;
