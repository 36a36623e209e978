import { randomBytes } from 'node:crypto';
import { eachConcurrently } from '@kyc/samples';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEvent } from '../src/apply-event.ts';
import { createDb, postgresAdapter } from '../src/client.ts';
import { testDatabaseUrl, deliveriesArbitrary, renameApplicants, storedApplicants, referenceFold } from '@kyc/test-support';

// The guarded upsert (apply-sql.ts) against the reference model, directly and with
// concurrent connections: many more runs than the end-to-end convergence test.
const db = createDb(postgresAdapter(testDatabaseUrl(), 8));
afterAll(async () => db.$disconnect());

const PLACEHOLDERS = ['a', 'b'];

describe('applyEvent (one guarded upsert per event)', () => {
  it('equals the reference fold for any duplicated, shuffled set applied by 8 concurrent connections', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary(PLACEHOLDERS, 30), async (generated) => {
        const names = new Map(PLACEHOLDERS.map((p) => [p, randomBytes(12).toString('hex')]));
        const deliveries = renameApplicants(generated.deliveries, names);
        const outcomes: string[] = [];
        await eachConcurrently(deliveries, 8, async (event) => {
          outcomes.push(await applyEvent(db, { event, receivedAt: new Date(), attempts: 1 }));
        });
        const distinct = new Set(deliveries.map((d) => d.eventId)).size;
        expect(outcomes.filter((o) => o !== 'duplicate')).toHaveLength(distinct);
        const expected = referenceFold(deliveries);
        const stored = await storedApplicants(db, [...names.values()]);
        for (const [id, record] of expected) expect(stored.get(id)).toEqual(record);
      }),
      { numRuns: 150 },
    );
  });
});
