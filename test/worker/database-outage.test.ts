import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../support/http.ts';
import { startTestIngest, type TestIngest } from '../support/ingest-harness.ts';
import { webhook } from '../support/payloads.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { testConfig } from '../support/env.ts';
import { drain, startTestWorkers } from '../support/worker-harness.ts';

let ingest: TestIngest;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
beforeAll(async () => {
  ingest = await startTestIngest();
  proxy = await startTcpProxy(Number(new URL(ingest.config.DATABASE_URL).port || 5432));
});
afterAll(async () => {
  await proxy.close();
  await ingest.stop();
});

describe('the database unreachable for a while', () => {
  it('makes jobs retry with backoff, and every event converges once it is back', async () => {
    const viaProxy = Object.assign(new URL(ingest.config.DATABASE_URL), { port: String(proxy.port) }).toString();
    const workers = startTestWorkers(
      testConfig({ DATABASE_URL: viaProxy, QUEUE_PREFIX: ingest.config.QUEUE_PREFIX, JOB_BACKOFF_MS: '100', WORKER_CONCURRENCY: '4' }),
      2,
    );
    try {
      await proxy.cut();
      const payloads = Array.from({ length: 20 }, (_, i) => webhook({ createdAtMs: `2024-05-01 10:00:${String(i).padStart(2, '0')}.000` }));
      for (const p of payloads) expect((await postWebhook(ingest.url, JSON.stringify(p))).status).toBe(200);
      // Let every job fail at least once while the database is away.
      await new Promise((r) => setTimeout(r, 2500));
      const retried = await ingest.queue.getJobs(['delayed', 'waiting', 'active']);
      expect(retried.length).toBeGreaterThan(0);
      expect(retried.some((job) => job.attemptsMade > 0)).toBe(true);
      await proxy.restore();
      const { failed } = await drain(ingest.queue, 60_000);
      expect(failed).toBe(0);
      const applied = await ingest.db.event.count({
        where: { applicantId: { in: payloads.map((p) => String(p.applicantId)) }, status: 'applied' },
      });
      expect(applied).toBe(payloads.length);
    } finally {
      await proxy.restore();
      await workers.stop();
    }
  });
});
