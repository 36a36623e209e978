import type { DeliveryResult } from '@kyc/samples';
import { converge, type Row, verify } from '../check.ts';
import { during, type Profile, sendLoad, sleep } from '../load.ts';
import { startProcessSystem, type ProcessSystem, type ProcessSystemOptions } from '@kyc/test-support';

const DRAIN_MS = 180_000;

async function withSystem(name: string, options: ProcessSystemOptions, body: (system: ProcessSystem) => Promise<Row>): Promise<Row> {
  const system = await startProcessSystem(name, options);
  try {
    return await body(system);
  } finally {
    await system.stop();
  }
}

/** 1. Duplicated, shuffled load through three worker processes. */
export const baseline = (p: Profile) =>
  withSystem('baseline', { workers: 3 }, async (system) => {
    const results = await sendLoad(system, p, { paced: false, seed: 1 });
    await converge(system, results, DRAIN_MS);
    return verify(system, 'converge (3 workers)', results);
  });

/** 2. The same while a worker process is SIGKILLed every two seconds and restarted. */
export const killWorkers = (p: Profile) =>
  withSystem('kill', { workers: 3 }, async (system) => {
    let kills = 0;
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await sleep(2000);
        if (!killing) break;
        await system.killWorker(kills % system.workers.length);
        kills++;
      }
    })();
    const results = await sendLoad(system, p, { paced: true, seed: 2 });
    await sleep(4000); // keep killing into the drain
    killing = false;
    await killer;
    await converge(system, results, DRAIN_MS);
    return verify(system, 'SIGKILL a worker every 2 s', results, [`${kills} kills`]);
  });

/** 3. PostgreSQL unreachable for the workers mid-load. */
export const databaseOutage = (p: Profile) =>
  withSystem('pg', { workers: 3, proxyDatabase: true }, async (system) => {
    const results = await during(sendLoad(system, p, { paced: true, seed: 3 }), (p.loadSeconds * 1000) / 3, async () => {
      await system.pgProxy?.cut();
      await sleep(p.outageMs);
      await system.pgProxy?.restore();
    });
    await converge(system, results, DRAIN_MS);
    return verify(system, `PostgreSQL down ${p.outageMs / 1000} s`, results);
  });

/** 4. Redis unreachable: intake answers 503 fast and never 2xx meanwhile. */
export const redisOutage = (p: Profile) =>
  withSystem('redis', { workers: 3, proxyRedis: true }, async (system) => {
    const window = { from: 0, to: 0 };
    const results = await during(sendLoad(system, p, { paced: true, seed: 4 }), (p.loadSeconds * 1000) / 3, async () => {
      window.from = Date.now();
      await system.redisProxy?.cut();
      await sleep(p.outageMs);
      window.to = Date.now();
      await system.redisProxy?.restore();
    });
    await converge(system, results, DRAIN_MS);
    const started = (r: DeliveryResult) => r.ackedAt - r.latencyMs;
    // Requests that began after the cut (with a margin for ones already in flight) and ended before the restore.
    const inside = results.filter((r) => started(r) > window.from + 250 && r.ackedAt < window.to);
    const okInside = inside.filter((r) => r.status >= 200 && r.status < 300).length;
    const unavailable = results.filter((r) => r.status === 503);
    const slowest503 = Math.max(0, ...unavailable.map((r) => r.latencyMs));
    const row = await verify(system, `Redis unreachable ${p.outageMs / 1000} s`, results, [
      `${unavailable.length} answered 503 (slowest ${slowest503.toFixed(0)} ms)`,
      `${okInside} 2xx during the outage`,
    ]);
    return { ...row, pass: row.pass && okInside === 0 && unavailable.length > 0 && slowest503 < 2500 };
  });

/** 5. Redis (AOF, fsync always) killed and restarted under load. */
export const redisRestart = (p: Profile) =>
  withSystem('restart', { workers: 3, redisAppendFsyncAlways: true }, async (system) => {
    const results = await during(sendLoad(system, p, { paced: true, seed: 5 }), (p.loadSeconds * 1000) / 2.5, async () => {
      const redis = system.redis;
      if (!redis) throw new Error('the restart scenario runs on a private redis-server');
      await redis.stop(); // SIGKILL: no chance to flush anything not already on disk
      await sleep(2000);
      await redis.start();
    });
    await converge(system, results, DRAIN_MS);
    return verify(system, 'Redis SIGKILLed and restarted', results, [`${results.filter((r) => r.status === 503).length} answered 503`]);
  });
