import { isParseFailure, type ParsedWebhook, parseWebhookValue } from '@kyc/sumsub-webhook';
import fc from 'fast-check';

// Random but realistic Sumsub event sets: few distinct times (so ties happen), a
// shared correlationId pool (as Sumsub shares them), nulls, documented and
// unknown types from every family (actions, KYT transactions with and without
// an applicant, cases), RED results on events that are not completed, and the
// loosely typed fields real payloads carry ("false" as a string).
const TYPES = [
  'applicantCreated',
  'applicantPending',
  'applicantReviewed',
  'applicantReviewed',
  'applicantOnHold',
  'applicantReset',
  'applicantStepsReset',
  'applicantLevelChanged',
  'applicantPersonalInfoChanged',
  'applicantWorkflowCompleted',
  'applicantWorkflowFailed',
  'applicantAwaitingUser',
  'applicantActionReviewed',
  'applicantKytTxnApproved',
  'kytCaseReviewed',
  'somethingSumsubAddsLater',
];
const STATUSES = [undefined, null, 'init', 'pending', 'queued', 'completed', 'completed', 'onHold', 'awaitingUser'];

const reviewResult = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant({ reviewAnswer: 'GREEN' }),
  fc.record({
    reviewAnswer: fc.constant('RED'),
    rejectLabels: fc.subarray(['FORGERY', 'UNSATISFACTORY_PHOTOS', 'SELFIE_MISMATCH']),
    reviewRejectType: fc.constantFrom('RETRY', 'FINAL', undefined),
    buttonIds: fc.subarray(['badPhoto', 'dataMismatch_dateOfBirth']),
    moderationComment: fc.constantFrom('Please upload a clearer photo', null),
    clientComment: fc.constantFrom('internal: suspected forgery', null),
  }),
);

function eventFor(applicantIds: string[]) {
  return fc
    .record({
      applicantId: fc.constantFrom(...applicantIds),
      type: fc.constantFrom(...TYPES),
      correlationId: fc.constantFrom('req-1', 'req-2', 'req-3'),
      second: fc.integer({ min: 0, max: 40 }),
      reviewStatus: fc.constantFrom(...STATUSES),
      reviewResult,
      levelName: fc.constantFrom(undefined, null, 'basic', 'advanced'),
      externalUserId: fc.constantFrom(undefined, 'user-1', 'user-2'),
      sandboxMode: fc.constantFrom(undefined, null, true, false, 'true', 'false'),
      reviewMode: fc.constantFrom(undefined, null, 'ongoingAml'),
      applicantMemberOf: fc.constantFrom(undefined, null, [{ applicantId: 'company-1' }]),
      withoutApplicant: fc.boolean(),
    })
    .map(({ second, withoutApplicant, applicantId, ...fields }) => {
      // Transaction events may name no applicant; they are kept but make no record.
      const orphan = withoutApplicant && fields.type === 'applicantKytTxnApproved';
      const payload = Object.fromEntries(
        Object.entries({
          ...fields,
          applicantId: orphan ? undefined : applicantId,
          kytTxnId: fields.type === 'applicantKytTxnApproved' ? `txn-${second}` : undefined,
          createdAtMs: `2024-05-01 10:00:${String(second).padStart(2, '0')}.000`,
        }).filter(([, v]) => v !== undefined),
      );
      const parsed = parseWebhookValue(payload);
      if (isParseFailure(parsed)) throw new Error(parsed.message);
      return parsed;
    });
}

/** Distinct events for the given applicants, then delivered with duplicates in a shuffled order. */
export function deliveriesArbitrary(
  applicantIds: string[],
  maxEvents = 30,
): fc.Arbitrary<{ events: ParsedWebhook[]; deliveries: ParsedWebhook[] }> {
  return fc.uniqueArray(eventFor(applicantIds), { minLength: 1, maxLength: maxEvents, selector: (e) => e.eventId }).chain((events) =>
    fc
      .array(fc.nat({ max: events.length - 1 }), { maxLength: events.length })
      .chain((dupes) =>
        fc.shuffledSubarray([...events, ...dupes.map((i) => events[i] as ParsedWebhook)], { minLength: events.length + dupes.length }),
      )
      .map((deliveries) => ({ events, deliveries })),
  );
}

/** The same deliveries for other applicant ids (fresh per property run, so runs never share records). */
export function renameApplicants(deliveries: readonly ParsedWebhook[], names: Map<string, string>): ParsedWebhook[] {
  return deliveries.map((d) => {
    const id = d.payload.applicantId;
    const renamed = id === undefined ? d.payload : { ...d.payload, applicantId: names.get(id) ?? id };
    // Orphan transaction events get a fresh transaction id, so runs never share them either.
    const payload = id === undefined ? { ...renamed, kytTxnId: `${String(renamed.kytTxnId)}-${[...names.values()].join('')}` } : renamed;
    const parsed = parseWebhookValue(payload);
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    return parsed;
  });
}
