import { isParseFailure, type ParsedWebhook, parseWebhookValue } from '@kyc/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApplicantState, mergeEvent } from '../src/applicant-merge.ts';
import { deliveriesArbitrary, referenceFold } from '@kyc/test-support';

function event(fields: Record<string, unknown>): ParsedWebhook {
  const parsed = parseWebhookValue({ applicantId: 'a1', correlationId: 'req-1', ...fields });
  if (isParseFailure(parsed)) throw new Error(parsed.message);
  return parsed;
}

const fold = (events: ParsedWebhook[]) => events.reduce<ApplicantState | undefined>((state, e) => mergeEvent(state, e).state, undefined);
const at = (time: string) => `2024-05-01 ${time}.000`;
const pending = event({ type: 'applicantPending', reviewStatus: 'pending', levelName: 'basic', createdAtMs: at('10:00:00') });
const green = event({
  type: 'applicantReviewed',
  reviewStatus: 'completed',
  reviewResult: { reviewAnswer: 'GREEN' },
  createdAtMs: at('10:05:00'),
});
const red = event({
  type: 'applicantReviewed',
  reviewStatus: 'completed',
  reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'RETRY', rejectLabels: ['FORGERY'], clientComment: 'private' },
  createdAtMs: at('10:02:00'),
});
const reset = event({ type: 'applicantReset', reviewStatus: 'init', createdAtMs: at('10:10:00') });

describe('mergeEvent', () => {
  it('keeps events that share a correlationId apart and takes state from the newest', () => {
    const state = fold([pending, green]);
    expect(state).toMatchObject({
      reviewStatus: 'completed',
      levelName: 'basic',
      lastEventType: 'applicantReviewed',
      review: { reviewAnswer: 'GREEN' },
    });
  });

  it('never regresses on a late older event, and flags it stale', () => {
    const current = fold([pending, green]);
    const late = mergeEvent(current, pending);
    expect(late.stale).toBe(true);
    expect(late.state).toEqual(current);
  });

  it('takes each field from the newest event that carries it', () => {
    const noLevel = event({ type: 'applicantOnHold', reviewStatus: 'onHold', levelName: null, createdAtMs: at('10:06:00') });
    expect(fold([pending, green, noLevel])).toMatchObject({ levelName: 'basic', reviewStatus: 'onHold' });
  });

  it('lets a later completed review supersede an earlier one, whatever the arrival order', () => {
    expect(fold([green, red])?.review?.reviewAnswer).toBe('GREEN');
    expect(fold([red, green])?.review?.reviewAnswer).toBe('GREEN');
  });

  it('clears the review on a newer reset, and a newer review shows again', () => {
    expect(fold([green, reset])?.review).toBeNull();
    expect(fold([reset, green])?.review).toBeNull();
    const after = event({
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED' },
      createdAtMs: at('10:20:00'),
    });
    expect(fold([reset, after, green])?.review?.reviewAnswer).toBe('RED');
  });

  it('keeps a RED result on an event that is not completed out of the review', () => {
    const onHoldRed = event({
      type: 'applicantPending',
      reviewStatus: 'pending',
      reviewResult: { reviewAnswer: 'RED' },
      createdAtMs: at('10:07:00'),
    });
    expect(fold([green, onHoldRed])).toMatchObject({ reviewStatus: 'pending', review: { reviewAnswer: 'GREEN' } });
    expect(fold([onHoldRed])?.review).toBeNull();
  });

  it('creates the applicant from an unknown type, which then moves only lastEvent*', () => {
    const unknown = event({
      type: 'brandNewType',
      reviewStatus: 'completed',
      levelName: 'x',
      reviewResult: { reviewAnswer: 'RED' },
      createdAtMs: at('10:30:00'),
    });
    expect(fold([unknown])).toMatchObject({ lastEventType: 'brandNewType', levelName: null, review: null });
    expect(fold([pending, green, unknown])).toMatchObject({
      lastEventType: 'brandNewType',
      levelName: 'basic',
      review: { reviewAnswer: 'GREEN' },
    });
  });

  it('equals the reference fold for any duplicated, shuffled delivery order', () => {
    fc.assert(
      fc.property(deliveriesArbitrary(['a1', 'a2', 'a3'], 40), ({ deliveries }) => {
        const states = new Map<string, ApplicantState>();
        for (const e of deliveries) states.set(e.payload.applicantId, mergeEvent(states.get(e.payload.applicantId), e).state);
        for (const [id, expected] of referenceFold(deliveries)) {
          const { eventCount: _count, ...rest } = expected;
          const { versions: _versions, ...actual } = states.get(id) as ApplicantState;
          expect(actual).toEqual(rest);
        }
      }),
      { numRuns: 500 },
    );
  });
});
