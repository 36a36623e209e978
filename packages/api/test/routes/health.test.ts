import { pgSql } from '@kyc/db/plain';
import { buildInjectedApp, injectedApp } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// The api's health routes through inject(): the app as `pnpm start:api` builds it, no port.
const api = injectedApp('api');

describe('health', () => {
  it('GET /healthz answers alive', async () => {
    expect(await api.request('GET', '/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('GET /readyz checks Redis, the database and migrations', async () => {
    const result = await api.request('GET', '/readyz');
    expect(result).toMatchObject({ status: 200, json: { status: 'ready', checks: { redis: 'ok', database: 'ok', migrations: 'ok' } } });
  });

  it('GET /readyz is 503 when the database cannot be reached', async () => {
    const sql = pgSql('postgresql://postgres@127.0.0.1:1/nowhere', 1);
    const broken = await buildInjectedApp('api', { sql });
    try {
      const result = await broken.request('GET', '/readyz');
      expect(result.status).toBe(503);
      expect(result.json).toMatchObject({ status: 'not_ready', checks: { redis: 'ok', database: expect.not.stringMatching(/^ok$/) } });
    } finally {
      await broken.close();
      await sql.close();
    }
  });

  it('unknown routes answer 404 as JSON', async () => {
    expect(await api.request('GET', '/nope')).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });
});
