import { createDb, pgSql, postgresAdapter, prismaSql, type Sql } from '@kyc/db';
import { ledgerEvent, poisonApplicant, testDatabaseUrl, webhook } from '@kyc/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createApplyBatcher } from '../src/apply-batcher.ts';

const db = createDb(postgresAdapter(testDatabaseUrl(), 6));
const pg = pgSql(testDatabaseUrl(), 2);
afterAll(async () => {
  await pg.close();
  await db.$disconnect();
});

// The worker sends the statement over plain pg on PostgreSQL, through Prisma on the embedded database.
const drivers: [string, Sql][] = [
  ['plain pg', pg],
  ['Prisma', prismaSql(db)],
];

describe.each(drivers)('the apply batcher over %s', (_driver, sql) => {
  it('applies concurrently arriving events several per statement, each resolved after its commit', async () => {
    const sizes: number[] = [];
    const batcher = createApplyBatcher(sql, { maxBatch: 16, maxInFlight: 2, onBatch: (n) => sizes.push(n) });
    const events = Array.from({ length: 40 }, () => ledgerEvent(webhook()));
    const outcomes = await Promise.all(events.map((e) => batcher.apply(e)));
    expect(outcomes.map((o) => o.outcome)).toEqual(events.map(() => 'applied'));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16);
    const stored = await db.event.count({ where: { eventId: { in: events.map((e) => e.eventId) }, status: 'applied' } });
    expect(stored).toBe(40);
    await batcher.idle();
  });

  it('the same event twice in one batch is applied once; the other is a duplicate', async () => {
    const batcher = createApplyBatcher(sql, { maxBatch: 16, maxInFlight: 1 });
    const event = ledgerEvent(webhook());
    const outcomes = await Promise.all([batcher.apply(event), batcher.apply(event)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'duplicate']);
    expect((await db.applicant.findUnique({ where: { applicantId: String(event.payload.applicantId) } }))?.eventCount).toBe(1);
  });

  it('a bad event fails only its own job: the batch is retried one event at a time', async () => {
    const batcher = createApplyBatcher(sql, { maxBatch: 16, maxInFlight: 1 });
    const poisoned = webhook();
    const fault = await poisonApplicant(testDatabaseUrl(), String(poisoned.applicantId));
    try {
      const events = [...Array.from({ length: 5 }, () => ledgerEvent(webhook())), ledgerEvent(poisoned)];
      const settled = await Promise.allSettled(events.map((e) => batcher.apply(e)));
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(String((settled[5] as PromiseRejectedResult).reason)).toMatch(/poisoned applicant/);
    } finally {
      await fault.cure();
    }
  });
});
