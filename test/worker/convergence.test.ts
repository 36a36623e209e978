import { randomBytes } from 'node:crypto';
import { eachConcurrently } from '@kyc/cli';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveriesArbitrary, renameApplicants } from '../support/event-arbitraries.ts';
import { postWebhook } from '../support/http.ts';
import { startTestIngest, type TestIngest } from '../support/ingest-harness.ts';
import { storedApplicants } from '../support/records.ts';
import { referenceFold } from '../support/reference-model.ts';
import { drain, startTestWorkers } from '../support/worker-harness.ts';

const PLACEHOLDERS = ['applicant-a', 'applicant-b', 'applicant-c'];
let ingest: TestIngest;
let workers: ReturnType<typeof startTestWorkers>;
beforeAll(async () => {
  ingest = await startTestIngest({ WORKER_CONCURRENCY: '4' });
  workers = startTestWorkers(ingest.config, 3);
});
afterAll(async () => {
  await workers.stop();
  await ingest.stop();
});

async function postAll(bodies: string[], concurrency: number): Promise<void> {
  await eachConcurrently(bodies, concurrency, async (body) => {
    expect((await postWebhook(ingest.url, body)).status).toBe(200);
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
        await drain(ingest.queue);
        const expected = referenceFold(deliveries);
        const stored = await storedApplicants(ingest.db, ids);
        expect(stored.size).toBe(expected.size);
        for (const [id, record] of expected) expect(stored.get(id)).toEqual(record);
      }),
      { numRuns: 30 },
    );
  });
});
