import { readFileSync } from 'node:fs';
import { generateDeliveries, percentile, runLoad } from '@kyc/cli';
import { converge } from '../test/reliability/check.ts';
import { SECRET, startSystem } from '../test/reliability/system.ts';

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
  const system = await startSystem('e2e', { workers: 2, env: { WORKER_CONCURRENCY: '16' } });
  try {
    const count = rate * seconds;
    const deliveries = generateDeliveries({ count, applicants: Math.ceil(count / 10), duplicates: 0.1, shuffle: true, seed: 31 });
    const started = performance.now();
    const { results } = await runLoad({ url: system.url, secret: SECRET, algorithm: 'HMAC_SHA256_HEX' }, deliveries, { concurrency: 256, rate });
    const elapsed = (performance.now() - started) / 1000;
    await converge(system, results, 300_000);
    const acked = new Map<string, number>();
    for (const r of results) if (r.status === 200 && r.eventId && !acked.has(r.eventId)) acked.set(r.eventId, r.ackedAt);
    const rows = await system.db.event.findMany({ where: { eventId: { in: [...acked.keys()] }, status: 'applied' }, select: { eventId: true, processedAt: true } });
    const lags = rows.map((r) => (r.processedAt?.getTime() ?? 0) - (acked.get(r.eventId) ?? 0)).sort((a, b) => a - b);
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
