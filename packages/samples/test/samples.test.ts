import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { describe, expect, it } from 'vitest';
import { newApplicant, SAMPLE_NAMES, SAMPLES, sumsubTime, sumsubTimeMs } from '../src/samples.ts';

describe('samples', () => {
  it.each(SAMPLE_NAMES)('%s passes the intake contract', (name) => {
    const ctx = newApplicant(new Date('2026-02-03T04:05:06.789Z'));
    const result = parseWebhook(JSON.stringify(SAMPLES[name](ctx)));
    if (isParseFailure(result)) throw new Error(result.message);
    expect(result.payload.applicantId).toBe(ctx.applicantId);
    expect(result.eventAt).toBe(Date.parse('2026-02-03T04:05:06.789Z'));
  });

  it('writes both of Sumsub time forms', () => {
    const at = new Date('2020-02-21T13:23:19.321Z');
    expect(sumsubTimeMs(at)).toBe('2020-02-21 13:23:19.321');
    expect(sumsubTime(at)).toBe('2020-02-21 13:23:19+0000');
  });

  it('marks RED FINAL and RED RETRY as the documented review results', () => {
    const ctx = newApplicant();
    expect(SAMPLES['red-final'](ctx).reviewResult).toMatchObject({ reviewAnswer: 'RED', reviewRejectType: 'FINAL' });
    expect(SAMPLES['red-retry'](ctx).reviewResult).toMatchObject({ reviewAnswer: 'RED', reviewRejectType: 'RETRY' });
  });
});
