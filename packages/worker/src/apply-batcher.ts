import { type Applied, applyEventDetailed, applyEventsDetailed, type LedgerEvent, type Sql } from '@kyc/db/plain';

// Applying several events per round trip. Every job of a worker process hands its
// event to this batcher and waits; events that arrive while a statement is in
// flight are sent together in the next one (group commit: no timer, so an event
// alone goes at once). One statement carries a JSON array to kyc_apply_events,
// which already applies a batch exactly once, in a fixed lock order, with several
// events of one applicant in successive rounds. A job's promise resolves only
// after the statement carrying its event returned, i.e. committed: a job never
// completes before its own event is stored.

export type ApplyBatcher = {
  apply(event: LedgerEvent): Promise<Applied>;
  /** Resolves once nothing is pending or in flight (shutdown). */
  idle(): Promise<void>;
};

type Waiting = { event: LedgerEvent; resolve: (applied: Applied) => void; reject: (error: unknown) => void };

export type BatcherOptions = {
  /** Events per statement at most. */
  maxBatch: number;
  /** Statements in flight at once (each holds one database connection). */
  maxInFlight: number;
  /** Sizes of the statements sent, for metrics. */
  onBatch?: (size: number) => void;
};

/** Runs one batch; on failure, one event at a time, so a bad event fails only its own job. */
async function run(sql: Sql, batch: Waiting[]): Promise<void> {
  // The same event twice in a batch (two deliveries in flight): sent once, the second is a duplicate.
  const first = new Map<string, Waiting>();
  const repeats: Waiting[] = [];
  for (const waiting of batch) {
    if (first.has(waiting.event.eventId)) repeats.push(waiting);
    else first.set(waiting.event.eventId, waiting);
  }
  const unique = [...first.values()];
  try {
    const results = await applyEventsDetailed(
      sql,
      unique.map((w) => w.event),
    );
    for (const waiting of unique) {
      const applied = results.get(waiting.event.eventId);
      if (applied) waiting.resolve(applied);
      else waiting.reject(new Error(`kyc_apply_events returned no outcome for ${waiting.event.eventId}`));
    }
    for (const waiting of repeats) {
      const applied = results.get(waiting.event.eventId);
      waiting.resolve({
        // Erased or another account's applicant says so again; anything else was stored by the first copy.
        outcome: applied?.outcome === 'erased' || applied?.outcome === 'wrong_account' ? applied.outcome : 'duplicate',
        wantsDocuments: applied?.wantsDocuments ?? false,
      });
    }
  } catch (error) {
    if (unique.length === 1 && repeats.length === 0) {
      unique[0]?.reject(error);
      return;
    }
    for (const waiting of [...unique, ...repeats]) {
      await applyEventDetailed(sql, waiting.event).then(waiting.resolve, waiting.reject);
    }
  }
}

export function createApplyBatcher(sql: Sql, options: BatcherOptions): ApplyBatcher {
  const pending: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  const idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (pending.length === 0 && inFlight === 0) for (const done of idleWaiters.splice(0)) done();
  };
  const flush = () => {
    scheduled = false;
    while (pending.length > 0 && inFlight < options.maxInFlight) {
      const batch = pending.splice(0, options.maxBatch);
      inFlight++;
      options.onBatch?.(batch.length);
      void run(sql, batch).finally(() => {
        inFlight--;
        if (pending.length > 0) flush();
        settle();
      });
    }
  };

  return {
    apply(event) {
      return new Promise<Applied>((resolve, reject) => {
        pending.push({ event, resolve, reject });
        // Gather the events of this tick; a statement in flight gathers more meanwhile.
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    idle() {
      if (pending.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
