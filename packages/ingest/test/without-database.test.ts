import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRedis } from '@kyc/runtime';
import { openEventQueues } from '@kyc/jobs';
import {
  ADMIN_TOKEN,
  freePort,
  getJson,
  killProcess,
  postWebhook,
  spawnEntryPoint,
  TEST_SECRET,
  testConfig,
  webhook,
} from '@kyc/test-support';
import { afterEach, describe, expect, it } from 'vitest';

// `pnpm start:ingest` as production runs it: intake only, and no PostgreSQL at all.
const config = testConfig();
const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => killProcess(child, 'SIGTERM')));
});

async function startIngest(databaseUrl: string | undefined) {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawnEntryPoint('ingest', {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    METRICS_PORT: String(metricsPort),
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    SUMSUB_WEBHOOK_SECRET: TEST_SECRET,
    API_ADMIN_TOKEN: ADMIN_TOKEN,
    // Unset, or pointing at a port nothing listens on.
    DATABASE_URL: databaseUrl ?? '',
  });
  running.push(child);
  const url = `http://127.0.0.1:${port}`;
  await expect.poll(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);
  return { child, url, metricsUrl: `http://127.0.0.1:${metricsPort}` };
}

describe('the ingest without PostgreSQL', () => {
  it.each([
    ['unreachable', 'postgresql://postgres@127.0.0.1:1/nowhere'],
    ['unset', undefined],
  ])('acknowledges webhooks and stays ready with DATABASE_URL %s', async (_label, databaseUrl) => {
    const { url, metricsUrl } = await startIngest(databaseUrl);
    const ready = await getJson(`${url}/readyz`);
    expect(ready).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok' } } });
    expect(Object.keys(ready.json.checks as object)).toEqual(['redis']);

    const answer = await postWebhook(url, JSON.stringify(webhook()));
    expect(answer).toMatchObject({ status: 200, json: { status: 'accepted', eventId: expect.any(String) } });
    // Acknowledged means stored: the job is in Redis under its event id.
    const redis = createRedis(config, 'producer');
    const queues = openEventQueues(config, redis);
    try {
      const eventId = String(answer.json.eventId);
      const job = await queues.queueFor({ eventId, payload: { applicantId: String(webhook().applicantId) } }).getJob(eventId);
      expect(job?.id).toBe(eventId);
    } finally {
      await queues.close();
      redis.disconnect();
    }
    expect(await getJson(`${url}/readyz`)).toMatchObject({ status: 200 });
    // Its metrics are on the operations port (every other route: routes/intake-only.test.ts).
    const metrics = await fetch(`${metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/kyc_queue_jobs\{/);
  });
});

describe("the ingest package's dependencies", () => {
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(new URL(`../../${dir}/package.json`, import.meta.url), 'utf8')) as { dependencies?: Record<string, string> };

  it('include no database client, dashboard or OpenAPI, directly or through a workspace package', () => {
    const seen = new Set<string>();
    const visit = (dir: string) => {
      for (const name of Object.keys(manifest(dir).dependencies ?? {})) {
        if (seen.has(name)) continue;
        seen.add(name);
        if (name.startsWith('@kyc/')) visit(name.slice('@kyc/'.length));
      }
    };
    visit('ingest');
    const forbidden = [...seen].filter((name) => /prisma|^pg$|^@kyc\/db$|bull-board|swagger/.test(name));
    expect(forbidden).toEqual([]);
  });
});
