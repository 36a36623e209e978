import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { prismaSql, storeClarification } from '@kyc/db';
import { ADMIN_TOKEN, fixtureJson, READ_TOKEN, startFakeSumsub, webhook, withSystem, type FakeSumsub } from '@kyc/test-support';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { applicant } from '../../packages/cli/src/commands/applicant.ts';
import { at, completedReview } from './events.ts';

// The record's `rejection` and Sumsub's rejection clarification (moderationStates),
// through the real intake, worker and api, against the fake Sumsub API.

const fake: FakeSumsub = await startFakeSumsub();
afterAll(() => fake.stop());

const system = withSystem({ workers: 1, env: { ...fake.env, SUMSUB_API_TIMEOUT_MS: '500' } });

/** The source document's RED example (receive-and-interpret-results-via-api), for a fresh applicant. */
const SOURCE_RED = JSON.parse(
  readFileSync(new URL('../fixtures/sumsub/receive-results/applicant-reviewed-red.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

type Button = { id: string; group: string | null; description: string | null; known: boolean };
type Detail = {
  review: Record<string, unknown> | null;
  rejection: { rejectType: string | null; labels: Record<string, unknown>[]; buttons: Button[] } | null;
  rejectionClarification: { fetchedAt: string; applicant: Button[]; images: { imageId: string; buttons: Button[] }[] } | null;
};
const detail = async (id: string) => (await system.get(`/applicants/${id}`, READ_TOKEN)).json as unknown as Detail;

const sourceRed = (applicantId: string, second: number) =>
  webhook({ ...SOURCE_RED, applicantId, correlationId: `req-${applicantId}-${second}`, createdAtMs: at(second), createdAt: undefined });

function prepare(): string {
  const applicantId = webhook().applicantId as string;
  fake.setDocuments(applicantId, fixtureJson('requiredIdDocsStatus-red.json'));
  fake.setClarification(applicantId, fixtureJson('moderationStates-red.json'));
  return applicantId;
}

describe('a RED review explained', () => {
  it("the source document's RED example: BAD_PROOF_OF_IDENTITY and both button ids on the record, with categories", async () => {
    const applicantId = prepare();
    await system.post(sourceRed(applicantId, 1));
    await system.drained();
    const record = await detail(applicantId);
    expect(record.rejection).toEqual({
      rejectType: 'RETRY',
      labels: [
        {
          label: 'BAD_PROOF_OF_IDENTITY',
          category: 'document_quality',
          resubmittable: true,
          description: expect.stringMatching(/identity document/),
          known: true,
        },
      ],
      buttons: [
        { id: 'badDocument_suspiciousDocument', group: 'badDocument', description: expect.any(String), known: true },
        { id: 'badDocument', group: 'badDocument', description: expect.any(String), known: true },
      ],
    });
    // The change feed carries the same object as the record read beside it (the
    // document fetch, still running, may enrich both between two reads).
    const feedAndRecord = async () => {
      const feed = await system.get(`/applicants?limit=1000`, READ_TOKEN);
      const entry = (feed.json.applicants as { applicantId: string; rejection: unknown }[]).find((a) => a.applicantId === applicantId);
      return { feed: entry?.rejection, record: (await detail(applicantId)).rejection };
    };
    await expect
      .poll(async () => {
        const both = await feedAndRecord();
        return isDeepStrictEqual(both.feed, both.record) && both.feed !== undefined;
      })
      .toBe(true);
  });

  it('fetches the clarification after the document results and shows it explained', async () => {
    const applicantId = prepare();
    await system.post(sourceRed(applicantId, 1));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.fetchedAt, { timeout: 10_000 })
      .toEqual(expect.any(String));
    const { rejectionClarification } = await detail(applicantId);
    expect(rejectionClarification).toEqual({
      fetchedAt: expect.any(String),
      applicant: [
        expect.objectContaining({ id: 'badDocument_suspiciousDocument', group: 'badDocument', known: true }),
        expect.objectContaining({ id: 'badDocument', known: true }),
      ],
      // imagesStates is a map keyed by image id: read in JavaScript's key order.
      images: [
        { imageId: '34246467', buttons: [] },
        {
          imageId: '122352326',
          buttons: [
            expect.objectContaining({ id: 'additionalPages_anotherSide', group: 'additionalPages', known: true }),
            expect.objectContaining({ id: 'badPhoto_dataNotVisible', group: 'badPhoto', known: true }),
          ],
        },
      ],
    });
    // pnpm cli applicant shows the labels and buttons with their categories and descriptions.
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    try {
      expect(await applicant([applicantId, '--url', system.url, '--token', ADMIN_TOKEN])).toBe(0);
    } finally {
      write.mockRestore();
    }
    const printed = out.join('');
    expect(printed).toMatch(/rejection +RETRY/);
    expect(printed).toMatch(/label +BAD_PROOF_OF_IDENTITY +document_quality, resubmission can fix it: \S/);
    expect(printed).toMatch(/button +badDocument_suspiciousDocument +\(badDocument\) \S/);
    expect(printed).toMatch(/image 122352326 +additionalPages_anotherSide +\(additionalPages\)/);
    const [documents] = fake.calls(applicantId, 'requiredIdDocsStatus');
    const [clarification, ...more] = fake.calls(applicantId, 'moderationStates');
    expect(more).toEqual([]);
    expect(clarification?.at).toBeGreaterThanOrEqual(documents?.at ?? Infinity);
  });

  it('keeps unknown labels and buttons, flagged, and counts them by kind', async () => {
    const applicantId = prepare();
    const before = await system.registry.getSingleMetricAsString('kyc_rejection_codes_unknown_total');
    await system.post(
      webhook({
        applicantId,
        ...completedReview(1, 'RED', {
          reviewRejectType: 'FINAL',
          rejectLabels: ['SANCTIONS', 'LABEL_FROM_NEXT_YEAR'],
          buttonIds: ['compromisedPersons_sanctionList', 'newGroup_newButton'],
        }),
      }),
    );
    await system.drained();
    const { rejection } = await detail(applicantId);
    expect(rejection?.labels.map((l) => [l.label, l.category, l.known])).toEqual([
      ['SANCTIONS', 'compliance_aml', true],
      ['LABEL_FROM_NEXT_YEAR', null, false],
    ]);
    expect(rejection?.buttons.map((b) => [b.id, b.known])).toEqual([
      ['compromisedPersons_sanctionList', true],
      ['newGroup_newButton', false],
    ]);
    const count = (text: string, kind: string) => Number(new RegExp(`kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    const after = await system.registry.getSingleMetricAsString('kyc_rejection_codes_unknown_total');
    expect(count(after, 'label') - count(before, 'label')).toBe(1);
    expect(count(after, 'button') - count(before, 'button')).toBe(1);
  });

  it('is null for a review that is not RED', async () => {
    const applicantId = webhook().applicantId as string;
    await system.post(webhook({ applicantId, ...completedReview(1, 'GREEN') }));
    await system.drained();
    expect((await detail(applicantId)).rejection).toBeNull();
    expect(fake.calls(applicantId, 'moderationStates')).toEqual([]);
  });
});

describe('the clarification follows the rules of the document results', () => {
  it("a clarification for an older review never overwrites a newer review's, and a reset hides it", async () => {
    const applicantId = prepare();
    await system.post(sourceRed(applicantId, 1));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.fetchedAt, { timeout: 10_000 })
      .toEqual(expect.any(String));
    fake.setClarification(applicantId, { applicantState: { buttonIds: ['spam'] } });
    await system.post(webhook({ applicantId, ...completedReview(5, 'RED', { reviewRejectType: 'FINAL', rejectLabels: ['SPAM'] }) }));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.applicant.map((b) => b.id), { timeout: 10_000 })
      .toEqual(['spam']);
    // A late fetch for the first review (its job delayed by retries) arrives now.
    const sql = prismaSql(system.db);
    const [first] = await sql.query<{ eventId: string }>('SELECT event_id FROM events WHERE applicant_id = $1 AND event_at = $2', [
      applicantId,
      '2024-05-01T10:00:01Z',
    ]);
    const outcome = await storeClarification(sql, applicantId, first?.eventId ?? '', {
      applicantButtonIds: ['badPhoto_screenshot'],
      images: [],
    });
    expect(outcome).toBe('older');
    expect((await detail(applicantId)).rejectionClarification?.applicant.map((b) => b.id)).toEqual(['spam']);

    await system.post(webhook({ applicantId, type: 'applicantReset', reviewStatus: 'init', createdAtMs: at(8) }));
    await system.drained();
    expect(await detail(applicantId)).toEqual(expect.objectContaining({ rejection: null, rejectionClarification: null }));
  });

  it('429 (honouring Retry-After) and 500 are retried within the limit', async () => {
    const applicantId = prepare();
    fake.failNextCall('moderationStates', { status: 429, retryAfter: '1' }, { status: 500 });
    await system.post(sourceRed(applicantId, 1));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.fetchedAt, { timeout: 30_000 })
      .toEqual(expect.any(String));
    expect(fake.calls(applicantId, 'moderationStates').map((r) => r.status)).toEqual([429, 500, 200]);
    const metrics = await system.registry.getSingleMetricAsString('kyc_sumsub_api_requests_total');
    expect(metrics).toMatch(/call="moderationStates",outcome="rate_limited"\} [1-9]/);
    expect(await system.registry.getSingleMetricAsString('kyc_clarifications_fetched_total')).toMatch(/outcome="stored"\} [1-9]/);
  });

  it('POST /admin/applicants/:id/refresh fetches the clarification again for the review the record holds', async () => {
    const applicantId = prepare();
    await system.post(sourceRed(applicantId, 1));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.fetchedAt, { timeout: 10_000 })
      .toEqual(expect.any(String));
    fake.setClarification(applicantId, { applicantState: { buttonId: 'dataMismatch_fullName' } });
    expect((await system.admin('POST', `/admin/applicants/${applicantId}/refresh`)).status).toBe(202);
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.applicant.map((b) => b.id), { timeout: 10_000 })
      .toEqual(['dataMismatch_fullName']);
  });

  it('erasure removes it with the applicant', async () => {
    const applicantId = prepare();
    await system.post(sourceRed(applicantId, 1));
    await expect
      .poll(async () => (await detail(applicantId)).rejectionClarification?.fetchedAt, { timeout: 10_000 })
      .toEqual(expect.any(String));
    const sql = prismaSql(system.db);
    const held = () => sql.query('SELECT 1 AS one FROM rejection_clarifications WHERE applicant_id = $1', [applicantId]);
    expect(await held()).toHaveLength(1);
    expect((await system.admin('DELETE', `/admin/applicants/${applicantId}`)).status).toBe(200);
    expect(await held()).toEqual([]);
  });
});
