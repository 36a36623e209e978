import { isParseFailure, type ParsedWebhook, parseWebhookValue } from '@kyc/contracts';
import fc from 'fast-check';

// Random but realistic Sumsub event sets: few distinct times (so ties happen), a
// shared correlationId pool (as Sumsub shares them), nulls, unknown and KYT types,
// RED results on events that are not completed.
const TYPES = [
  'applicantCreated',
  'applicantPending',
  'applicantReviewed',
  'applicantReviewed',
  'applicantOnHold',
  'applicantReset',
  'applicantLevelChanged',
  'applicantPersonalInfoChanged',
  'applicantKytTxnApproved',
  'somethingSumsubAddsLater',
];
const STATUSES = [undefined, null, 'init', 'pending', 'queued', 'completed', 'completed', 'onHold'];

const reviewResult = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant({ reviewAnswer: 'GREEN' }),
  fc.record({
    reviewAnswer: fc.constant('RED'),
    rejectLabels: fc.subarray(['FORGERY', 'UNSATISFACTORY_PHOTOS', 'SELFIE_MISMATCH']),
    reviewRejectType: fc.constantFrom('RETRY', 'FINAL'),
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
      sandboxMode: fc.constantFrom(undefined, null, true, false),
    })
    .map(({ second, ...fields }) => {
      const payload = Object.fromEntries(
        Object.entries({ ...fields, createdAtMs: `2024-05-01 10:00:${String(second).padStart(2, '0')}.000` }).filter(
          ([, v]) => v !== undefined,
        ),
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
    const parsed = parseWebhookValue({ ...d.payload, applicantId: names.get(d.payload.applicantId) ?? d.payload.applicantId });
    if (isParseFailure(parsed)) throw new Error(parsed.message);
    return parsed;
  });
}
