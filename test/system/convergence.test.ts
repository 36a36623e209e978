import { randomBytes } from 'node:crypto';
import { eachConcurrently } from '@kyc/samples';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveriesArbitrary, renameApplicants, postWebhook, withSystem, storedApplicants, referenceFold } from '@kyc/test-support';

const PLACEHOLDERS = ['applicant-a', 'applicant-b', 'applicant-c'];
const system = withSystem({ env: { WORKER_CONCURRENCY: '4' }, workers: 3 });

async function postAll(bodies: string[], concurrency: number): Promise<void> {
  await eachConcurrently(bodies, concurrency, async (body) => {
    expect((await postWebhook(system.url, body)).status).toBe(200);
  });
}

describe('records converge to the reference fold', () => {
  it('for random event sets, duplicated and shuffled, through intake and three concurrent workers', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary(PLACEHOLDERS, 25), async (generated) => {
        const names = new Map(PLACEHOLDERS.map((p) => [p, randomBytes(12).toString('hex')]));
        const deliveries = renameApplicants(generated.deliveries, names);
        const ids = [...names.values()];
        await postAll(
          deliveries.map((d) => JSON.stringify(d.payload)),
          8,
        );
        await system.drained();
        const expected = referenceFold(deliveries);
        const stored = await storedApplicants(system.db, ids);
        expect(stored.size).toBe(expected.size);
        for (const [id, record] of expected) expect(stored.get(id)).toEqual(record);
      }),
      { numRuns: 30 },
    );
  });
});
