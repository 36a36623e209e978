import { describe, expect, it } from 'vitest';
import { getJson, startSystem, withSystem } from '@kyc/test-support';

const system = withSystem();

describe('health', () => {
  it('GET /healthz answers alive', async () => {
    expect(await getJson(`${system.url}/healthz`)).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('GET /readyz checks Redis, the database and migrations', async () => {
    const result = await getJson(`${system.url}/readyz`);
    expect(result).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok', database: 'ok', migrations: 'ok' } } });
  });

  it('GET /readyz is 503 when the database cannot be reached', async () => {
    const broken = await startSystem({ env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' } });
    try {
      const result = await getJson(`${broken.url}/readyz`);
      expect(result.status).toBe(503);
      expect(result.json).toMatchObject({ status: 'not_ready', checks: { redis: 'ok', database: expect.not.stringMatching(/^ok$/) } });
    } finally {
      await broken.stop();
    }
  });

  it('unknown routes answer 404 as JSON', async () => {
    expect(await getJson(`${system.url}/nope`)).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });
});
