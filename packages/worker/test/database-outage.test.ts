import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, webhook, withSystem } from '@kyc/test-support';

const system = withSystem();
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
beforeAll(async () => {
  proxy = await startTcpProxy(Number(new URL(system.config.DATABASE_URL).port || 5432));
});
afterAll(async () => proxy.close());

describe('the database unreachable for a while', () => {
  it('makes jobs retry with backoff, and every event converges once it is back', async () => {
    const viaProxy = Object.assign(new URL(system.config.DATABASE_URL), { port: String(proxy.port) }).toString();
    system.addWorkers(2, { DATABASE_URL: viaProxy, JOB_BACKOFF_MS: 100, WORKER_CONCURRENCY: 4 });
    try {
      await proxy.cut();
      const payloads = Array.from({ length: 20 }, (_, i) => webhook({ createdAtMs: `2024-05-01 10:00:${String(i).padStart(2, '0')}.000` }));
      for (const p of payloads) expect((await system.post(p)).status).toBe(200);
      // Every job fails at least once while the database is away.
      await expect
        .poll(async () => (await system.queue.getJobs(['delayed', 'waiting', 'active'])).some((job) => job.attemptsMade > 0), {
          timeout: 10_000,
        })
        .toBe(true);
      await proxy.restore();
      await system.drained();
      expect(await system.queue.getFailedCount()).toBe(0);
      const applied = await system.db.event.count({
        where: { applicantId: { in: payloads.map((p) => String(p.applicantId)) }, status: 'applied' },
      });
      expect(applied).toBe(payloads.length);
    } finally {
      await proxy.restore();
      await system.stopWorkers();
    }
  });
});
