import { randomBytes } from 'node:crypto';
import type { ParsedWebhook } from '@kyc/sumsub-webhook';
import { eachConcurrently } from '@kyc/samples';
import { deliveriesArbitrary, referenceFold, renameApplicants, storedApplicants, testDatabaseUrl } from '@kyc/test-support';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApplyOutcome, applyEvent, applyEvents, type LedgerEvent } from '../src/apply-events.ts';
import { createDb, postgresAdapter } from '../src/client.ts';

// The SQL rules (packages/db/sql) against the reference model, one event per
// statement from concurrent connections and in batches: many more runs than the
// end-to-end convergence test.
const db = createDb(postgresAdapter(testDatabaseUrl(), 8));
afterAll(async () => db.$disconnect());

const PLACEHOLDERS = ['a', 'b'];

const ledger = (event: ParsedWebhook): LedgerEvent => ({
  ...event,
  rawBody: JSON.stringify(event.payload),
  digest: 'test',
  digestAlgorithm: 'HMAC_SHA256_HEX',
  receivedAt: Date.now(),
  attempts: 1,
  source: 'webhook',
  account: 'default',
});

async function expectReference(deliveries: ParsedWebhook[], names: Map<string, string>, outcomes: ApplyOutcome[]) {
  const distinct = new Set(deliveries.map((d) => d.eventId)).size;
  expect(outcomes.filter((o) => o !== 'duplicate')).toHaveLength(distinct);
  const expected = referenceFold(deliveries);
  const stored = await storedApplicants(db, [...names.values()]);
  expect(stored.size).toBe(expected.size);
  for (const [id, record] of expected) expect(stored.get(id)).toEqual(record);
}

function renamed(generated: { deliveries: ParsedWebhook[] }) {
  const names = new Map(PLACEHOLDERS.map((p) => [p, randomBytes(12).toString('hex')]));
  return { names, deliveries: renameApplicants(generated.deliveries, names) };
}

describe('kyc_apply_events', () => {
  it('equals the reference fold for any duplicated, shuffled set, one event a statement from 8 concurrent connections', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary(PLACEHOLDERS, 30), async (generated) => {
        const { names, deliveries } = renamed(generated);
        const outcomes: ApplyOutcome[] = [];
        await eachConcurrently(deliveries, 8, async (event) => {
          outcomes.push(await applyEvent(db, ledger(event)));
        });
        await expectReference(deliveries, names, outcomes);
      }),
      { numRuns: 120 },
    );
  });

  it('equals the reference fold when the deliveries arrive in concurrent batches (several events of one applicant, duplicates within a batch)', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary(PLACEHOLDERS, 30), fc.integer({ min: 1, max: 12 }), async (generated, size) => {
        const { names, deliveries } = renamed(generated);
        const batches: ParsedWebhook[][] = [];
        for (let i = 0; i < deliveries.length; i += size) batches.push(deliveries.slice(i, i + size));
        const outcomes: ApplyOutcome[] = [];
        await eachConcurrently(batches, 4, async (batch) => {
          const result = await applyEvents(db, batch.map(ledger));
          // One outcome per distinct event of the batch.
          expect(result.size).toBe(new Set(batch.map((e) => e.eventId)).size);
          outcomes.push(...result.values());
        });
        // A duplicate within one batch reports once: count distinct ids per batch.
        await expectReference(deliveries, names, outcomes);
      }),
      { numRuns: 80 },
    );
  });
});
