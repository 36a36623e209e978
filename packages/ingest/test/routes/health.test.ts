import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../../../../test/support/http.ts';
import { startTestIngest, type TestIngest } from '../../../../test/support/ingest-harness.ts';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startTestIngest();
});
afterAll(async () => ingest.stop());

describe('health', () => {
  it('GET /healthz answers alive', async () => {
    expect(await getJson(`${ingest.url}/healthz`)).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('GET /readyz checks Redis, the database and migrations', async () => {
    const result = await getJson(`${ingest.url}/readyz`);
    expect(result).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok', database: 'ok', migrations: 'ok' } } });
  });

  it('GET /readyz is 503 when the database cannot be reached', async () => {
    const broken = await startTestIngest({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const result = await getJson(`${broken.url}/readyz`);
      expect(result.status).toBe(503);
      expect(result.json).toMatchObject({ status: 'not_ready', checks: { redis: 'ok', database: expect.not.stringMatching(/^ok$/) } });
    } finally {
      await broken.stop();
    }
  });

  it('unknown routes answer 404 as JSON', async () => {
    expect(await getJson(`${ingest.url}/nope`)).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });
});
