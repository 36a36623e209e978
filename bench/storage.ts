import { migratePostgres } from '@kyc/db';
import { applyEventsDetailed, pgSql } from '@kyc/db/plain';
import { generateDeliveries } from '@kyc/samples';
import { ADMIN_URL, ledgerEvent, runSql } from '@kyc/test-support';

export type StorageRow = {
  events: number;
  applicants: number;
  bodyBytes: number;
  walBytes: number;
  eventsBytes: number;
  applicantsBytes: number;
};

/** The worker's batch: up to 128 events per apply statement. */
const BATCH = 128;

/**
 * What an event costs PostgreSQL to keep, for the capacity model (docs/scaling.md):
 * `events` distinct generated events (ten per applicant) applied to a fresh database
 * in the worker's batches; WAL written, and the events and applicants tables with
 * their indexes and TOAST, per event and per applicant.
 */
export async function benchStorage(events: number): Promise<StorageRow> {
  const database = `kyc_bench_storage_${Date.now().toString(36)}`;
  await runSql(`CREATE DATABASE "${database}"`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
  const sql = pgSql(url, 1);
  try {
    await migratePostgres(url);
    const deliveries = generateDeliveries({ count: events, applicants: Math.ceil(events / 10), duplicates: 0, shuffle: true, seed: 7 });
    const ledger = deliveries.map(({ body }) => ledgerEvent(JSON.parse(body) as Record<string, unknown>));
    const lsn = async () => (await sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn ?? '0/0';
    const before = await lsn();
    for (let i = 0; i < ledger.length; i += BATCH) await applyEventsDetailed(sql, ledger.slice(i, i + BATCH));
    const after = await lsn();
    const [row] = await sql.query<{ wal: string; events: string; applicants: string; count: string }>(
      `SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::bigint::text AS wal,
              pg_total_relation_size('events')::text AS events,
              pg_total_relation_size('applicants')::text AS applicants,
              (SELECT count(*) FROM applicants)::text AS count`,
      [before, after],
    );
    return {
      events: ledger.length,
      applicants: Number(row?.count),
      bodyBytes: ledger.reduce((n, e) => n + Buffer.byteLength(e.rawBody), 0) / ledger.length,
      walBytes: Number(row?.wal),
      eventsBytes: Number(row?.events),
      applicantsBytes: Number(row?.applicants),
    };
  } finally {
    await sql.close();
    await runSql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}
