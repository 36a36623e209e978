import { readFileSync } from 'node:fs';
import { generateDeliveries, percentile, runLoad } from '@kyc/samples';
import { converge } from '../test/reliability/check.ts';
import { PROCESS_SECRET, startProcessSystem } from '@kyc/test-support';

export type EndToEndRow = {
  rate: number;
  seconds: number;
  sent: number;
  acknowledged: number;
  applied: number;
  lost: number;
  achievedRate: number;
  ackToCommitP50: number;
  ackToCommitP99: number;
  ingestPeakRssMb: number;
  workerPeakRssMb: number;
};

const peakRssMb = (pid: number | undefined) => {
  const match = pid ? /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')) : null;
  return match ? Number(match[1]) / 1024 : 0;
};

/** A sustained paced load through ingest and two worker processes; nothing may be lost. */
export async function benchEndToEnd(rate: number, seconds: number): Promise<EndToEndRow> {
  const system = await startProcessSystem('e2e', { workers: 2, env: { WORKER_CONCURRENCY: '16' } });
  try {
    const count = rate * seconds;
    const deliveries = generateDeliveries({ count, applicants: Math.ceil(count / 10), duplicates: 0.1, shuffle: true, seed: 31 });
    const started = performance.now();
    const { results } = await runLoad({ url: system.url, secret: PROCESS_SECRET, algorithm: 'HMAC_SHA256_HEX' }, deliveries, {
      concurrency: 256,
      rate,
    });
    const elapsed = (performance.now() - started) / 1000;
    await converge(system, results, 300_000);
    const acked = new Set(results.filter((r) => r.status === 200 && r.eventId).map((r) => String(r.eventId)));
    // The whole table: the database is this run's own (and an IN list of every id would pass PostgreSQL's parameter limit).
    const rows = (
      await system.db.event.findMany({ where: { status: 'applied' }, select: { eventId: true, receivedAt: true, processedAt: true } })
    ).filter((r) => acked.has(r.eventId));
    // Server-side: stored in Redis (received_at, just before the 2xx) to committed in PostgreSQL.
    const lags = rows.map((r) => (r.processedAt?.getTime() ?? 0) - r.receivedAt.getTime()).sort((a, b) => a - b);
    return {
      rate,
      seconds,
      sent: results.length,
      acknowledged: acked.size,
      applied: rows.length,
      lost: acked.size - rows.length,
      achievedRate: results.length / elapsed,
      ackToCommitP50: percentile(lags, 50),
      ackToCommitP99: percentile(lags, 99),
      ingestPeakRssMb: peakRssMb(system.ingest.pid),
      workerPeakRssMb: Math.max(...system.workers.map((w) => peakRssMb(w.pid))),
    };
  } finally {
    await system.stop();
  }
}
