import { eachConcurrently } from '@kyc/samples';
import { applyEventsStatement, type LedgerEvent } from '@kyc/db';
import pg from 'pg';

// The processing baseline: the very statement the worker sends (built by the same
// function: kyc_apply_events with one event), sent with plain `pg` at the same
// concurrency. What it leaves out is BullMQ, Prisma and the job contract.

/** Applies `events` with `concurrency` connections; returns events per second. */
export async function sqlBaseline(databaseUrl: string, events: readonly LedgerEvent[], concurrency: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  pool.on('error', () => undefined); // connections cut when the benchmark drops its database
  const started = performance.now();
  await eachConcurrently(events, concurrency, async (event) => {
    const statement = applyEventsStatement([event]);
    // Named, as the worker's adapter does: planned once per connection.
    await pool.query({ name: 'kyc_apply_event', text: statement.text, values: statement.values });
  });
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return events.length / seconds;
}
