import { percentile } from '@kyc/samples';
import { startProcessSystem } from '@kyc/test-support';
import { hammer } from './support/autocannon.ts';
import { signedRequests } from './support/bodies.ts';
import { cpuSeconds, cpuSecondsOf, memoryMb, PRODUCTION_DEFAULTS } from './support/servers.ts';

export type EndToEndRow = {
  deployment: string;
  rate: number;
  seconds: number;
  sent: number;
  acknowledged: number;
  applied: number;
  lost: number;
  ackedPerSecond: number;
  appliedPerSecond: number;
  /** Seconds from the last acknowledgement to the last commit: how far processing trailed the load. */
  drainSeconds: number;
  ackToCommitP50: number;
  ackToCommitP99: number;
  httpP99: number;
  memory: { name: string; idle: number; peak: number }[];
  /** CPU microseconds per acknowledged event, by process, over the load and its drain. */
  cpuPerEvent: { name: string; micros: number }[];
};

/**
 * A sustained paced load, pre-signed and sent by autocannon, through one of the
 * two deployments: `pnpm start` (one process) or the split one (ingest, api and 2
 * workers), on PostgreSQL and a private Redis with AOF. Every acknowledged event
 * must be applied; ack→commit is per event, server side.
 */
export async function benchEndToEnd(deployment: 'pnpm start' | 'split', rate: number, seconds: number): Promise<EndToEndRow> {
  const standalone = deployment === 'pnpm start';
  const system = await startProcessSystem(standalone ? 'e2e-start' : 'e2e-split', {
    workers: standalone ? 0 : 2,
    front: standalone ? 'standalone' : 'ingest',
    env: { ...PRODUCTION_DEFAULTS, LOG_LEVEL: 'info' },
  });
  try {
    const requests = signedRequests(rate * seconds, { duplicates: 0.1, shuffle: true, seed: 31 });
    await new Promise((r) => setTimeout(r, 2000)); // settled: idle memory
    const processes = [
      { name: standalone ? 'pnpm start' : 'ingest', pid: system.ingest.pid },
      ...(system.api ? [{ name: 'api', pid: system.api.pid }] : []),
      ...system.workers.map((w, i) => ({ name: `worker ${i + 1}`, pid: w.pid })),
    ];
    const idle = processes.map((p) => memoryMb(p.pid).rss);
    const cpuStart = [...processes.map((p) => cpuSeconds(p.pid)), cpuSeconds(system.redis?.pid()), cpuSecondsOf('postgres')];
    const acked = new Set<string>();
    let lastAck = 0;
    const started = performance.now();
    const http = await hammer(system.url, requests, {
      connections: 100,
      amount: requests.length,
      overallRate: rate,
      onResponse: (status, body) => {
        if (status === 200) {
          acked.add(String((JSON.parse(body) as { eventId?: string }).eventId));
          lastAck = Date.now();
        }
      },
    });
    const sendSeconds = (performance.now() - started) / 1000;
    // Drained: every acknowledged event applied (or the deadline says what is missing).
    const deadline = Date.now() + 300_000;
    let rows: { eventId: string; receivedAt: Date; processedAt: Date | null }[] = [];
    for (;;) {
      rows = await system.db.event.findMany({
        where: { status: 'applied' },
        select: { eventId: true, receivedAt: true, processedAt: true },
      });
      if (rows.length >= acked.size || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const cpuEnd = [...processes.map((p) => cpuSeconds(p.pid)), cpuSeconds(system.redis?.pid()), cpuSecondsOf('postgres')];
    const applied = rows.filter((r) => acked.has(r.eventId));
    const names = [...processes.map((p) => p.name), 'redis-server', 'PostgreSQL (all backends)'];
    const cpuPerEvent = names.map((name, i) => ({
      name,
      micros: (((cpuEnd[i] ?? 0) - (cpuStart[i] ?? 0)) * 1e6) / Math.max(1, acked.size),
    }));
    const lastCommit = Math.max(...applied.map((r) => r.processedAt?.getTime() ?? 0));
    const firstReceived = Math.min(...applied.map((r) => r.receivedAt.getTime()));
    const lags = applied.map((r) => (r.processedAt?.getTime() ?? 0) - r.receivedAt.getTime()).sort((a, b) => a - b);
    return {
      deployment,
      rate,
      seconds,
      sent: http.total,
      acknowledged: acked.size,
      applied: applied.length,
      lost: acked.size - applied.length,
      ackedPerSecond: (http.total - http.non2xx - http.errors) / sendSeconds,
      appliedPerSecond: applied.length / ((lastCommit - firstReceived) / 1000),
      drainSeconds: Math.max(0, (lastCommit - lastAck) / 1000),
      ackToCommitP50: percentile(lags, 50),
      ackToCommitP99: percentile(lags, 99),
      httpP99: http.p99,
      memory: processes.map((p, i) => ({ name: p.name, idle: idle[i] ?? 0, peak: memoryMb(p.pid).peak })),
      cpuPerEvent,
    };
  } finally {
    await system.stop();
  }
}
