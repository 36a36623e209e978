import { openQueue, QUEUES } from '@kyc/jobs';
import { prismaSql, storeDocuments } from '@kyc/db';
import { ADMIN_TOKEN, fixtureJson, READ_TOKEN, startFakeSumsub, webhook, withSystem, type FakeSumsub } from '@kyc/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, completedReview } from './events.ts';

const fake: FakeSumsub = await startFakeSumsub();
afterAll(() => fake.stop());

// The fake answers from this test process: a timeout a busy machine cannot reach by accident.
const system = withSystem({ workers: 1, env: { ...fake.env, SUMSUB_API_TIMEOUT_MS: '2000' } });

const red = (second: number, extra: Record<string, unknown> = {}) =>
  completedReview(second, 'RED', { reviewRejectType: 'RETRY', rejectLabels: ['DOCUMENT_PAGE_MISSING'], moderationComment: '', ...extra });

type Detail = { documents: Record<string, unknown>[]; documentsFetchedAt: string | null; decision: string };
const detail = async (id: string, token = READ_TOKEN) => (await system.get(`/applicants/${id}`, token)).json as unknown as Detail;

describe('document-level results after a RED review', () => {
  let applicantId: string;
  beforeAll(() => {
    applicantId = webhook().applicantId as string;
    fake.setDocuments(applicantId, fixtureJson('requiredIdDocsStatus-red.json'));
  });

  it('fetches requiredIdDocsStatus and shows the results, clientComment only to the admin token', async () => {
    await system.post(webhook({ applicantId, ...red(1) }));
    await expect.poll(async () => (await detail(applicantId)).documents.length, { timeout: 10_000 }).toBe(5);
    const record = await detail(applicantId);
    expect(record.decision).toBe('rejected_retry');
    expect(record.documentsFetchedAt).toEqual(expect.any(String));
    expect(record.documents[1]).toEqual({
      step: 'IDENTITY',
      idDocType: 'ID_CARD',
      country: 'LVA',
      imageId: '122352326',
      reviewAnswer: 'RED',
      rejectLabels: ['DOCUMENT_PAGE_MISSING', 'FRONT_SIDE_MISSING'],
      reviewRejectType: 'RETRY',
      moderationComment: 'Please upload a photo of the front of your ID card.',
      buttonIds: [],
    });
    expect(JSON.stringify(record)).not.toContain('One side of the document is missing.');
    const asAdmin = await detail(applicantId, ADMIN_TOKEN);
    expect(asAdmin.documents[1]?.clientComment).toBe('One side of the document is missing.');
    const events = await system.get(`/applicants/${applicantId}/events`, READ_TOKEN);
    expect(events.json.documentFetches).toEqual([{ fetchedAt: expect.any(String), documents: 5, outcome: 'stored' }]);
    expect(fake.calls(applicantId, 'requiredIdDocsStatus')).toHaveLength(1);
  });

  it("a fetch for an older review never overwrites a newer review's results", async () => {
    fake.setDocuments(applicantId, {
      IDENTITY: { reviewResult: { reviewAnswer: 'RED', moderationComment: 'second review' }, idDocType: 'PASSPORT' },
    });
    await system.post(webhook({ applicantId, ...red(5, { rejectLabels: ['BAD_SELFIE'] }) }));
    await expect
      .poll(async () => (await detail(applicantId)).documents.map((d) => d.moderationComment), { timeout: 10_000 })
      .toEqual(['second review']);
    // A late fetch for the first review (its job delayed by retries) arrives now.
    const [first] = await prismaSql(system.db).query<{ eventId: string }>(
      "SELECT event_id FROM events WHERE applicant_id = $1 AND event_at = '2024-05-01T10:00:01Z'",
      [applicantId],
    );
    const outcome = await storeDocuments(prismaSql(system.db), applicantId, first?.eventId ?? '', [
      {
        step: 'IDENTITY',
        idDocType: 'ID_CARD',
        country: null,
        imageId: null,
        reviewAnswer: 'RED',
        rejectLabels: [],
        reviewRejectType: null,
        moderationComment: 'stale',
        clientComment: null,
        buttonIds: [],
      },
    ]);
    expect(outcome).toBe('older');
    expect((await detail(applicantId)).documents.map((d) => d.moderationComment)).toEqual(['second review']);
  });

  it('a newer completed review, or a reset, hides older results', async () => {
    await system.post(webhook({ applicantId, type: 'applicantReset', reviewStatus: 'init', createdAtMs: at(8) }));
    await system.drained();
    expect(await detail(applicantId)).toEqual(
      expect.objectContaining({ documents: [], documentsFetchedAt: null, decision: 'not_started' }),
    );
    const other = webhook().applicantId as string;
    fake.setDocuments(other, fixtureJson('requiredIdDocsStatus-red.json'));
    await system.post(webhook({ applicantId: other, ...red(1) }));
    await expect.poll(async () => (await detail(other)).documents.length, { timeout: 10_000 }).toBe(5);
    await system.post(webhook({ applicantId: other, ...completedReview(9, 'GREEN') }));
    await system.drained();
    expect(await detail(other)).toEqual(expect.objectContaining({ documents: [], documentsFetchedAt: null, decision: 'approved' }));
    expect(fake.calls(other, 'requiredIdDocsStatus')).toHaveLength(1); // GREEN asks for nothing
  });

  it('POST /admin/applicants/:id/refresh fetches again for the review the record holds', async () => {
    const id = webhook().applicantId as string;
    fake.setDocuments(id, fixtureJson('requiredIdDocsStatus-unreviewed.json'));
    await system.post(webhook({ applicantId: id, ...red(1) }));
    await expect.poll(async () => (await detail(id)).documentsFetchedAt, { timeout: 10_000 }).toEqual(expect.any(String));
    const before = await detail(id);
    expect(before.documents.map((d) => d.reviewAnswer)).toEqual([null, null]);
    fake.setDocuments(id, fixtureJson('requiredIdDocsStatus-red.json'));
    const refreshed = await system.admin('POST', `/admin/applicants/${id}/refresh`);
    expect(refreshed).toEqual(
      expect.objectContaining({ status: 202, json: { applicantId: id, status: 'queued', jobId: expect.any(String) } }),
    );
    await expect.poll(async () => (await detail(id)).documents.length, { timeout: 10_000 }).toBe(5);
    expect((await system.admin('POST', '/admin/applicants/no-such-applicant/refresh')).status).toBe(404);
  });

  it('429 (honouring Retry-After), 500 and a timeout are retried within the limit', async () => {
    const id = webhook().applicantId as string;
    fake.setDocuments(id, fixtureJson('requiredIdDocsStatus-red.json'));
    fake.failNext({ status: 429, retryAfter: '1' }, { status: 500 }, 'hang');
    await system.post(webhook({ applicantId: id, ...red(1) }));
    await expect.poll(async () => (await detail(id)).documents.length, { timeout: 30_000 }).toBe(5);
    expect(fake.calls(id, 'requiredIdDocsStatus').map((r) => r.status)).toEqual([429, 500, 0, 200]);
    const [limited, failed] = fake.calls(id, 'requiredIdDocsStatus');
    const after429 = fake.calls(id, 'requiredIdDocsStatus')[1];
    expect((after429?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(failed?.status).toBe(500);
    const metrics = await system.registry.getSingleMetricAsString('kyc_sumsub_api_requests_total');
    expect(metrics).toMatch(/call="requiredIdDocsStatus",outcome="rate_limited"\} [1-9]/);
    expect(metrics).toMatch(/call="requiredIdDocsStatus",outcome="unavailable"\} [2-9]/);
  });
});

describe('401 from Sumsub: a configuration error, failed once and loudly', () => {
  const wrong = withSystem({ workers: 1, env: { ...fake.env, SUMSUB_SECRET_KEY: 'not-the-secret' } });

  it('fails the job permanently after one request, counts it, and /readyz says sumsubApi: unauthorized', async () => {
    const id = webhook().applicantId as string;
    fake.setDocuments(id, fixtureJson('requiredIdDocsStatus-red.json'));
    await wrong.post(webhook({ applicantId: id, ...red(1) }));
    await expect.poll(() => fake.requests.filter((r) => r.path.includes(id)).length, { timeout: 10_000 }).toBe(1);
    const [request] = fake.requests.filter((r) => r.path.includes(id));
    expect(request).toEqual(expect.objectContaining({ status: 401, authorized: false }));
    await expect
      .poll(
        async () =>
          (await fetch(`${wrong.url}/readyz`).then((r) => r.json() as Promise<{ checks: Record<string, string> }>)).checks.sumsubApi,
      )
      .toBe('unauthorized');
    const ready = await fetch(`${wrong.url}/readyz`);
    expect(ready.status).toBe(200); // webhooks are still taken
    // Failed for good (a retry would be delayed, not failed) after its one attempt: no second request can come.
    const api = openQueue(QUEUES.sumsubApi, { connection: wrong.redis, prefix: wrong.config.QUEUE_PREFIX, config: wrong.config });
    const failedJob = async () => (await api.getFailed()).find((job) => (job.data as { applicantId?: string }).applicantId === id);
    await expect.poll(async () => (await failedJob())?.attemptsMade, { timeout: 10_000 }).toBe(1);
    await api.close();
    expect(fake.requests.filter((r) => r.path.includes(id))).toHaveLength(1);
    expect(await wrong.registry.getSingleMetricAsString('kyc_sumsub_api_requests_total')).toMatch(/outcome="unauthorized"\} 1/);
  });
});
