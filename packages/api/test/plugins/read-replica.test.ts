import { randomBytes } from 'node:crypto';
import { loadConfig } from '@kyc/runtime';
import { migratePostgres } from '@kyc/db';
import { applyEventsDetailed, pgSql, type Sql } from '@kyc/db/plain';
import { ledgerEvent, type PostgresWithReplica, startPostgresWithReplica, webhook } from '@kyc/test-support';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from '../../src/app.ts';
import { openApiQueues } from '../../src/runtime.ts';

// A real primary and a streaming replica (initdb, pg_basebackup): the read routes
// are served by the replica while it keeps up and by the primary when it lags or dies.
const TOKEN = 'read-token-0123456789abcdef';
let pg: PostgresWithReplica;
let primary: Sql;

beforeAll(async () => {
  pg = await startPostgresWithReplica();
  await pg.createDatabase('kyc');
  await migratePostgres(pg.primaryUrl('kyc'));
  await pg.waitForCatchUp();
  primary = pgSql(pg.primaryUrl('kyc'), 2);
}, 120_000);

afterAll(async () => {
  await primary?.close();
  await pg?.destroy();
});

async function api(maxLagSeconds: number) {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: pg.primaryUrl('kyc'),
    DATABASE_READ_URL: pg.replicaUrl('kyc'),
    DATABASE_READ_MAX_LAG_SECONDS: String(maxLagSeconds),
    API_READ_TOKEN: TOKEN,
    QUEUE_PREFIX: `{kyc-replica-${randomBytes(4).toString('hex')}}`,
  });
  const registry = new Registry();
  const queues = openApiQueues(config);
  const app = await buildApiApp({ config, sql: primary, registry, ...queues });
  app.addHook('onClose', () => queues.close());
  return { app, registry };
}

async function record(app: FastifyInstance, applicantId: string) {
  return app.inject({ url: `/applicants/${applicantId}`, headers: { authorization: `Bearer ${TOKEN}` } });
}

async function newApplicant(): Promise<string> {
  const applicantId = randomBytes(12).toString('hex');
  await applyEventsDetailed(primary, [ledgerEvent(webhook({ applicantId }))]);
  return applicantId;
}

const metric = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('reads from a streaming replica (DATABASE_READ_URL)', () => {
  it('serves records from the replica: a write not yet replayed there is not seen', async () => {
    const { app, registry } = await api(3_600);
    try {
      expect(await metric(registry, 'kyc_replica_reads')).toBe(1);
      await pg.pauseReplay();
      const applicantId = await newApplicant();
      expect((await record(app, applicantId)).statusCode).toBe(404); // the replica has not replayed it
      await pg.resumeReplay();
      await pg.waitForCatchUp();
      expect((await record(app, applicantId)).statusCode).toBe(200);
      // The change feed's snapshot horizon works on a hot standby too.
      const feed = await app.inject({ url: '/applicants?limit=1000', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(feed.json<{ applicants: { applicantId: string }[] }>().applicants.map((a) => a.applicantId)).toContain(applicantId);
    } finally {
      await pg.resumeReplay();
      await app.close();
    }
  });

  it('reports the lag, and reads from the primary while the replica is further behind than allowed', async () => {
    const { app, registry } = await api(1);
    try {
      await pg.pauseReplay();
      const applicantId = await newApplicant();
      await expect.poll(() => metric(registry, 'kyc_replica_reads'), { timeout: 15_000 }).toBe(0);
      expect(await metric(registry, 'kyc_replica_lag_seconds')).toBeGreaterThan(1);
      expect((await record(app, applicantId)).statusCode).toBe(200); // from the primary
      await pg.resumeReplay();
      await expect.poll(() => metric(registry, 'kyc_replica_reads'), { timeout: 15_000 }).toBe(1);
      expect(await metric(registry, 'kyc_replica_lag_seconds')).toBeLessThanOrEqual(1);
    } finally {
      await pg.resumeReplay();
      await app.close();
    }
  });

  it('degrades to the primary when the replica dies, without failing a read', async () => {
    const { app, registry } = await api(3_600);
    try {
      const applicantId = await newApplicant();
      await pg.waitForCatchUp();
      pg.replica.kill();
      expect((await record(app, applicantId)).statusCode).toBe(200);
      const feed = await app.inject({ url: '/applicants', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(feed.statusCode).toBe(200);
      await expect.poll(() => metric(registry, 'kyc_replica_lag_seconds'), { timeout: 15_000 }).toBeNaN();
      expect(await metric(registry, 'kyc_replica_reads')).toBe(0);
    } finally {
      await app.close();
    }
  });
});
