import { type DeliveryResult, deliver, newApplicant, SAMPLES } from '@kyc/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnEntryPoint, TEST_SECRET, withSystem } from '@kyc/test-support';

// The system fixture gives this run's config and handles; the processes under test are spawned.
const system = withSystem();

function env(port: number): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: system.config.REDIS_URL,
    DATABASE_URL: system.config.DATABASE_URL,
    QUEUE_PREFIX: system.config.QUEUE_PREFIX,
    SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    API_READ_TOKEN: 'read-token-0123456789abcdef',
    API_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
    WORKER_CONCURRENCY: '8',
    SHUTDOWN_TIMEOUT_MS: '15000',
  };
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

let port: number;
beforeAll(async () => {
  port = await freePort();
});

describe('SIGTERM during traffic', () => {
  it('stops both processes cleanly; every acknowledged event is applied exactly once', async () => {
    const ingest = spawnEntryPoint('ingest', env(port));
    const worker = spawnEntryPoint('worker', env(port));
    const url = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);

    const people = Array.from({ length: 20 }, (_, i) => newApplicant(new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    const results: DeliveryResult[] = [];
    let stop = false;
    const senders = people.map(async (person, n) => {
      for (let step = 0; !stop && step < 200; step++) {
        const ctx = { ...person, at: new Date(person.at.getTime() + step * 1000 + n) };
        results.push(
          await deliver(
            { url, secret: TEST_SECRET, algorithm: 'HMAC_SHA256_HEX' },
            JSON.stringify(SAMPLES[step % 2 ? 'pending' : 'on-hold'](ctx)),
          ),
        );
      }
    });
    // Stopped during traffic: events acknowledged, and the worker applying them.
    const appliedSoFar = () => system.db.event.count({ where: { applicantId: { in: people.map((p) => p.applicantId) } } });
    await expect.poll(() => results.filter((r) => r.status === 200).length, { timeout: 30_000 }).toBeGreaterThan(50);
    await expect.poll(appliedSoFar, { timeout: 30_000 }).toBeGreaterThan(0);
    const [ingestExit, workerExit] = [exitOf(ingest), exitOf(worker)];
    ingest.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await ingestExit).toBe(0);
    expect(await workerExit).toBe(0);
    stop = true;
    await Promise.all(senders);

    const acked = results.filter((r) => r.status === 200);
    expect(acked.length).toBeGreaterThan(50);
    expect(results.every((r) => [200, 503, 0].includes(r.status))).toBe(true);

    // A fresh worker drains what the stopped one left queued.
    system.addWorkers(1);
    try {
      await system.drained();
      expect(await system.queue.getFailedCount()).toBe(0);
    } finally {
      await system.stopWorkers();
    }
    const ids = acked.map((r) => String(r.eventId));
    const applied = await system.db.event.findMany({ where: { eventId: { in: ids } }, select: { eventId: true, status: true } });
    expect(applied.length).toBe(new Set(ids).size);
    expect(applied.every((e) => e.status === 'applied')).toBe(true);
    const applicants = await system.db.applicant.findMany({ where: { applicantId: { in: people.map((p) => p.applicantId) } } });
    const appliedRows = await system.db.event.groupBy({
      by: ['applicantId'],
      where: { applicantId: { in: people.map((p) => p.applicantId) }, status: 'applied' },
      _count: true,
    });
    for (const a of applicants) expect(a.eventCount).toBe(appliedRows.find((r) => r.applicantId === a.applicantId)?._count);
  });
});
