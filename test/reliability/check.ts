import { isParseFailure, type ParsedWebhook, parseWebhook } from '@kyc/sumsub-webhook';
import { type DeliveryResult, percentile } from '@kyc/samples';
import type { ProcessSystem } from '@kyc/test-support';
import { recordsAgainstModel } from '@kyc/test-support';

export type Row = {
  scenario: string;
  deliveries: number;
  acknowledged: number;
  applied: number;
  lost: number;
  appliedTwice: number;
  /** Applicants whose record differs from the reference fold of their applied events. */
  wrongRecords: number;
  p99AckMs: number;
  notes: string;
  pass: boolean;
};

const acknowledgedIds = (results: readonly DeliveryResult[]) =>
  new Set(results.filter((r) => r.status >= 200 && r.status < 300).map((r) => String(r.eventId)));

/** Ids of the applied events (the database belongs to this one system). */
export async function appliedIds(system: ProcessSystem): Promise<Set<string>> {
  return new Set((await system.db.event.findMany({ where: { status: 'applied' }, select: { eventId: true } })).map((e) => e.eventId));
}

/** Waits until every acknowledged event is applied and nothing is left in the queue. */
export async function converge(system: ProcessSystem, results: readonly DeliveryResult[], timeoutMs: number): Promise<void> {
  const acked = acknowledgedIds(results);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(
      system.queues.all.map(({ queue }) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
    ).catch(() => undefined);
    const open = counts ? counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0) : 1;
    // The whole table, not an IN list: at 100k ids that would pass PostgreSQL's parameter limit.
    const applied = open === 0 ? await appliedIds(system).catch(() => new Set<string>()) : new Set<string>();
    if (open === 0 && [...acked].every((id) => applied.has(id))) return;
    if (Date.now() > deadline) return; // the check below reports what is missing
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Compares what was acknowledged with what the database holds, and every record with the model. */
export async function verify(
  system: ProcessSystem,
  scenario: string,
  results: readonly DeliveryResult[],
  notes: string[] = [],
): Promise<Row> {
  const acked = acknowledgedIds(results);
  const rows = await system.db.event.findMany({ where: { status: 'applied' }, select: { eventId: true, rawBody: true } });
  const appliedIds = new Set(rows.map((r) => r.eventId));
  const lost = [...acked].filter((id) => !appliedIds.has(id)).length;

  // The model folds the bodies as received, exactly what the worker verified and parsed.
  const events: ParsedWebhook[] = rows.map((r) => {
    const parsed = parseWebhook(r.rawBody ?? '');
    if (isParseFailure(parsed)) throw new Error(`stored payload of ${r.eventId} no longer parses: ${parsed.message}`);
    return parsed;
  });
  const { wrongRecords, appliedTwice } = await recordsAgainstModel(system.db, events);
  const ackLatencies = results
    .filter((r) => r.status >= 200 && r.status < 300)
    .map((r) => r.latencyMs)
    .sort((a, b) => a - b);
  return {
    scenario,
    deliveries: results.length,
    acknowledged: acked.size,
    applied: appliedIds.size,
    lost,
    appliedTwice,
    wrongRecords,
    p99AckMs: percentile(ackLatencies, 99),
    notes: notes.join('; '),
    pass: lost === 0 && appliedTwice === 0 && wrongRecords === 0,
  };
}
