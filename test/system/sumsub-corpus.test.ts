import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { ADMIN_TOKEN, getJson, REPO_ROOT_URL, withSystem } from '@kyc/test-support';
import { describe, expect, it } from 'vitest';

// Every example Sumsub publishes on its webhook pages (test/fixtures/sumsub, see
// SOURCES.md there), signed byte for byte and sent through the real intake and
// worker. Each is checked, on its own, against what Sumsub's docs say it means:
// docs/sumsub-events.md is the table these expectations come from.

const CORPUS = new URL('test/fixtures/sumsub/', REPO_ROOT_URL);

type Expectation =
  /** Published with `//` comments: not JSON. */
  | { refused: 'invalid_json' }
  /** A transaction event that names no applicant: kept with its transaction ids, no record. */
  | { noApplicant: true }
  /** The applicant's record after this event alone. */
  | { decision: string; reviewStatus: string | null; reviewAnswer: string | null };

const INVALID = { refused: 'invalid_json' } as const;
const NO_APPLICANT = { noApplicant: true } as const;
const state = (decision: string, reviewStatus: string | null, reviewAnswer: string | null = null): Expectation => ({
  decision,
  reviewStatus,
  reviewAnswer,
});
// Actions, transactions and cases carry their own review: the applicant's state stays untouched.
const OTHER_SUBJECT = state('not_started', null);

const EXPECTED: Record<string, Expectation> = {
  'receive-results/applicant-reviewed-green.json': state('approved', 'completed', 'GREEN'),
  'receive-results/applicant-reviewed-red.json': state('rejected_retry', 'completed', 'RED'),
  'user-verification/applicant-created.json': state('not_started', 'init'),
  'user-verification/applicant-pending.json': INVALID,
  'user-verification/applicant-reviewed-final-rejection.json': INVALID,
  'user-verification/applicant-reviewed-temporary-rejection.json': state('rejected_retry', 'completed', 'RED'),
  'user-verification/applicant-reviewed-success.json': state('approved', 'completed', 'GREEN'),
  'user-verification/applicant-on-hold.json': INVALID,
  'user-verification/applicant-action-pending.json': OTHER_SUBJECT,
  'user-verification/applicant-action-reviewed.json': OTHER_SUBJECT,
  'user-verification/applicant-action-on-hold.json': OTHER_SUBJECT,
  'user-verification/applicant-action-level-changed.json': OTHER_SUBJECT,
  'user-verification/applicant-personal-info-changed.json': state('approved', 'completed', 'GREEN'),
  'user-verification/applicant-tags-changed.json': state('approved', 'completed', 'GREEN'),
  'user-verification/applicant-activated.json': state('not_started', 'init'),
  'user-verification/applicant-deactivated.json': state('not_started', 'init'),
  'user-verification/applicant-deleted.json': state('not_started', 'init'),
  // The reset example carries a GREEN reviewResult with reviewStatus init: not a completed review.
  'user-verification/applicant-reset.json': state('not_started', 'init'),
  'user-verification/applicant-prechecked.json': INVALID,
  'user-verification/applicant-level-changed.json': state('not_started', 'init'),
  'user-verification/applicant-workflow-completed.json': state('rejected_final', 'completed', 'RED'),
  'user-verification/applicant-workflow-failed.json': state('rejected_final', 'completed', 'RED'),
  'user-verification/video-ident-status-changed-initialized.json': state('not_started', 'init'),
  'user-verification/video-ident-composition-completed.json': state('approved', 'completed', 'GREEN'),
  'user-verification/applicant-awaiting-service.json': state('pending', 'awaitingService'),
  'user-verification/applicant-awaiting-user.json': state('pending', 'awaitingUser'),
  'user-verification/applicant-steps-reset.json': state('not_started', 'init'),
  // Completed, with no review in this event: no verdict to act on yet.
  'user-verification/applicant-personal-data-deleted.json': state('pending', 'completed'),
  'user-verification/company-structure-changed.json': state('pending', 'pending'),
  'transaction-monitoring/applicant-kyt-txn-created.json': NO_APPLICANT,
  'transaction-monitoring/applicant-kyt-txn-approved.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-txn-rejected.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-txn-reviewed.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-txn-deleted.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-on-hold.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-txn-awaiting-user.json': OTHER_SUBJECT,
  'transaction-monitoring/applicant-kyt-txn-data-changed.json': OTHER_SUBJECT,
  'travel-rule-outbound/applicant-kyt-txn-created.json': NO_APPLICANT,
  'travel-rule-outbound/applicant-kyt-txn-approved.json': OTHER_SUBJECT,
  'travel-rule-outbound/applicant-kyt-on-hold.json': OTHER_SUBJECT,
  'travel-rule-outbound/applicant-kyt-txn-rejected.json': OTHER_SUBJECT,
  'travel-rule-sdk/applicant-kyt-txn-approved.json': OTHER_SUBJECT,
  'travel-rule-sdk/applicant-kyt-on-hold-example.json': OTHER_SUBJECT,
  'travel-rule-sdk/applicant-kyt-txn-rejected.json': OTHER_SUBJECT,
  'webhook-manager/example-request-to-the-client-endpoint.json': state('approved', 'completed', 'GREEN'),
};

const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.split(path.sep).join('/'))
  .sort();

const system = withSystem({ workers: 1 });

/** Each example on its own: several share an applicant, and two share an event. */
async function forget(eventId: string, applicantId: string | undefined): Promise<void> {
  await system.db.event.deleteMany({ where: { OR: [{ eventId }, ...(applicantId ? [{ applicantId }] : [])] } });
  if (applicantId) await system.db.applicant.deleteMany({ where: { applicantId } });
  await (await system.queue.getJob(eventId))?.remove();
}

describe("Sumsub's published webhook examples", () => {
  it('are all in the corpus, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s is handled as Sumsub documents it', async (file) => {
    const bytes = readFileSync(new URL(file, CORPUS));
    const expected = EXPECTED[file] as Expectation;
    if ('refused' in expected) {
      const jobs = await system.jobCount();
      const answer = await system.post(bytes.toString('utf8'));
      expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_json', message: expect.stringMatching(/not valid JSON/) } });
      expect(await system.jobCount()).toBe(jobs);
      return;
    }
    const parsed = parseWebhook(bytes.toString('utf8'));
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    const { applicantId } = parsed.payload;
    await forget(parsed.eventId, applicantId);

    const answer = await system.post(bytes.toString('utf8'));
    expect(answer).toMatchObject({ status: 200, json: { status: 'accepted', eventId: parsed.eventId } });
    await expect
      .poll(async () => (await system.db.event.findUnique({ where: { eventId: parsed.eventId } }))?.status, { timeout: 20_000 })
      .toBe('applied');
    const event = await system.db.event.findUniqueOrThrow({ where: { eventId: parsed.eventId } });
    expect(event.rawBody).toBe(bytes.toString('utf8'));

    if ('noApplicant' in expected) {
      expect(applicantId).toBeUndefined();
      expect(event).toMatchObject({ applicantId: null, kytTxnId: parsed.payload.kytTxnId, kytDataTxnId: parsed.payload.kytDataTxnId });
      expect(await system.db.applicant.count({ where: { lastEventId: parsed.eventId } })).toBe(0);
      return;
    }
    const record = await getJson(`${system.url}/applicants/${String(applicantId)}`, ADMIN_TOKEN);
    expect(record.status).toBe(200);
    expect(record.json).toMatchObject({
      applicantId,
      decision: expected.decision,
      reviewStatus: expected.reviewStatus,
      lastEventType: parsed.payload.type,
    });
    expect((record.json.review as { reviewAnswer?: string } | null)?.reviewAnswer ?? null).toBe(expected.reviewAnswer);
    // A RED review is explained, and the catalogue knows every code the published examples carry.
    type Code = { known: boolean; label?: string; id?: string };
    const rejection = record.json.rejection as { labels: Code[]; buttons: Code[] } | null;
    expect(rejection !== null).toBe(expected.reviewAnswer === 'RED');
    expect([...(rejection?.labels ?? []), ...(rejection?.buttons ?? [])].filter((code) => !code.known)).toEqual([]);
    const sandbox = parsed.payload.sandboxMode;
    if (expected.reviewStatus !== null && sandbox !== undefined) expect(record.json.sandboxMode).toBe(String(sandbox) === 'true');
    if (expected.reviewStatus !== null && parsed.payload.levelName) expect(record.json.levelName).toBe(parsed.payload.levelName);
  });
});
