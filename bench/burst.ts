import { isParseFailure, type ParsedWebhook, parseWebhook } from '@kyc/sumsub-webhook';
import { recordsAgainstModel, startProcessSystem, type ProcessSystem } from '@kyc/test-support';
import { hammer } from './support/autocannon.ts';
import { signedRequests } from './support/bodies.ts';
import { cpuSeconds, cpuSecondsOf, PRODUCTION_DEFAULTS } from './support/servers.ts';

export type BurstRow = {
  sent: number;
  acknowledged: number;
  applied: number;
  /** Acknowledged with no applied row: must be 0. */
  lost: number;
  /** Applicants whose record differs from the reference fold of the acknowledged deliveries. */
  wrongRecords: number;
  /** Events counted on a record beyond the distinct events the model folds (an event applied twice). */
  appliedTwice: number;
  /** Distinct events applied per second, from the first request sent to the last commit. */
  appliedPerSecond: number;
  /** Every delivery (duplicates included) per second over the same span. */
  deliveriesPerSecond: number;
  /** 2xx answers per second from the first request to the last answer. */
  ackedPerSecond: number;
  /** Seconds from the first request to the last commit. */
  seconds: number;
  /** CPU microseconds per distinct applied event, by process, from the first send to the last commit. */
  cpuPerEvent: { name: string; micros: number }[];
};

const CONNECTIONS = 50;

/** The distinct parsed events of the deliveries whose event id was acknowledged: what the records must fold. */
function acknowledgedEvents(bodies: readonly string[], acked: ReadonlySet<string>): ParsedWebhook[] {
  const events: ParsedWebhook[] = [];
  for (const body of bodies) {
    const parsed = parseWebhook(body);
    if (isParseFailure(parsed)) throw new Error(`a generated delivery does not parse: ${parsed.message}`);
    if (acked.has(parsed.eventId)) events.push(parsed);
  }
  return events;
}

/** Waits until `expected` events are applied (or the deadline passes: the counts then say what is missing). */
async function drained(system: ProcessSystem, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await system.db.event.count({ where: { status: 'applied' } })) < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Records that differ from the reference fold, and events counted twice. */
async function checkRecords(system: ProcessSystem, events: readonly ParsedWebhook[]) {
  if (events.length === 0) throw new Error('no acknowledged event to check records against');
  return recordsAgainstModel(system.db, events);
}

/**
 * A burst through `pnpm start` on PostgreSQL: `count` pre-signed deliveries (10%
 * re-sent, shuffled) sent by autocannon as fast as the intake answers at 50
 * connections, timed from the first request to the last commit. Every record is
 * then compared with the reference model's fold of what was acknowledged.
 */
export async function benchBurst(count: number): Promise<BurstRow> {
  const system = await startProcessSystem('burst', {
    workers: 0,
    front: 'standalone',
    env: { ...PRODUCTION_DEFAULTS, LOG_LEVEL: 'info' },
  });
  try {
    const requests = signedRequests(count, { duplicates: 0.1, shuffle: true, seed: 41 });
    await new Promise((r) => setTimeout(r, 2000)); // settled after start
    const pids = [system.ingest.pid, system.redis?.pid()];
    const cpuAt = () => [...pids.map((pid) => cpuSeconds(pid)), cpuSecondsOf('postgres')];
    const cpuStart = cpuAt();
    const acked = new Set<string>();
    let lastAnswer = 0;
    const started = Date.now();
    const http = await hammer(system.url, requests, {
      connections: CONNECTIONS,
      amount: requests.length,
      onResponse: (status, body) => {
        lastAnswer = Date.now();
        if (status === 200) acked.add(String((JSON.parse(body) as { eventId?: string }).eventId));
      },
    });
    // To the last answer: autocannon itself returns up to a second after it (its sampling tick).
    const sendSeconds = (lastAnswer - started) / 1000;
    await drained(system, acked.size, 300_000);
    const cpuEnd = cpuAt();
    const rows = await system.db.event.findMany({ where: { status: 'applied' }, select: { eventId: true, processedAt: true } });
    const applied = rows.filter((r) => acked.has(r.eventId));
    const lastCommit = Math.max(...applied.map((r) => r.processedAt?.getTime() ?? 0));
    const seconds = (lastCommit - started) / 1000;
    const records = await checkRecords(
      system,
      acknowledgedEvents(
        requests.map((r) => r.body),
        acked,
      ),
    );
    const names = ['pnpm start', 'redis-server', 'PostgreSQL (all backends)'];
    return {
      sent: http.total,
      acknowledged: acked.size,
      applied: applied.length,
      lost: acked.size - applied.length,
      ...records,
      appliedPerSecond: applied.length / seconds,
      deliveriesPerSecond: http.total / seconds,
      ackedPerSecond: (http.total - http.non2xx - http.errors) / sendSeconds,
      seconds,
      cpuPerEvent: names.map((name, i) => ({
        name,
        micros: (((cpuEnd[i] ?? 0) - (cpuStart[i] ?? 0)) * 1e6) / Math.max(1, applied.length),
      })),
    };
  } finally {
    await system.stop();
  }
}
