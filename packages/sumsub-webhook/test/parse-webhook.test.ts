import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { futureTimeError, isParseFailure, parseWebhook } from '../src/parse-webhook.ts';
import { storable } from '../src/storable.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/sumsub/${name}`, import.meta.url), 'utf8');
const base = { applicantId: 'a1', type: 'applicantPending', correlationId: 'c1', createdAtMs: '2020-02-21 13:23:19.321' };

describe('parseWebhook', () => {
  it('accepts both documented examples and keeps unknown fields', () => {
    for (const name of ['receive-results/applicant-reviewed-green.json', 'receive-results/applicant-reviewed-red.json']) {
      const result = parseWebhook(fixture(name));
      if (isParseFailure(result)) throw new Error(result.message);
      expect(result.payload).toEqual(JSON.parse(fixture(name)));
      expect(result.eventId).toMatch(/^evt_[0-9a-f]{32}$/);
    }
  });

  it('gives re-serialised bodies of one event the same id', () => {
    const a = parseWebhook(JSON.stringify(base));
    const b = parseWebhook(
      `{ "createdAtMs" : "2020-02-21 13:23:19.321",\n "correlationId":"c1", "type":"applicantPending","applicantId":"a1", "extra": 1 }`,
    );
    expect(isParseFailure(a) || isParseFailure(b)).toBe(false);
    expect((a as { eventId: string }).eventId).toBe((b as { eventId: string }).eventId);
  });

  it('gives events that share a correlationId different ids', () => {
    const pending = parseWebhook(JSON.stringify(base));
    const reviewed = parseWebhook(JSON.stringify({ ...base, type: 'applicantReviewed', createdAtMs: '2020-02-21 13:25:00.000' }));
    const sameTimeOtherType = parseWebhook(JSON.stringify({ ...base, type: 'applicantOnHold' }));
    const ids = [pending, reviewed, sameTimeOtherType].map((r) => (r as { eventId: string }).eventId);
    expect(new Set(ids).size).toBe(3);
  });

  it('accepts explicit nulls and unknown event types', () => {
    const result = parseWebhook(
      JSON.stringify({ ...base, type: 'somethingNew', reviewResult: null, previousLevelName: null, sandboxMode: null }),
    );
    expect(isParseFailure(result)).toBe(false);
  });

  it('keeps fields the merge does not read as received, whatever their type', () => {
    const result = parseWebhook(JSON.stringify({ ...base, previousLevelName: 7, applicantMemberOf: ['1', '2'], custom: { deep: [1] } }));
    if (isParseFailure(result)) throw new Error(result.message);
    expect(result.payload).toMatchObject({ previousLevelName: 7, applicantMemberOf: ['1', '2'], custom: { deep: [1] } });
  });

  it('reads "true"/"false" sandboxMode (as Sumsub\'s own examples send it) without refusing the event', () => {
    for (const sandboxMode of ['false', 'true', false, null]) {
      expect(isParseFailure(parseWebhook(JSON.stringify({ ...base, sandboxMode })))).toBe(false);
    }
  });

  it('accepts a transaction event without applicantId or correlationId, told apart by its transaction ids', () => {
    const txn = { type: 'applicantKytTxnCreated', createdAtMs: '2025-11-17 17:26:49.676', kytTxnId: 't1', kytDataTxnId: 'd1' };
    const a = parseWebhook(JSON.stringify(txn));
    const b = parseWebhook(JSON.stringify({ ...txn, kytTxnId: 't2' }));
    if (isParseFailure(a) || isParseFailure(b)) throw new Error('refused');
    expect(a.eventId).not.toBe(b.eventId);
  });

  it('makes a lone surrogate and NUL storable (U+FFFD), with the id of the original text', () => {
    const raw = JSON.stringify({ ...base, reviewResult: { moderationComment: 'x' } }).replace('"x"', '"a\\ud800b\\u0000c"');
    expect(raw).toContain('\\ud800');
    const result = parseWebhook(raw);
    if (isParseFailure(result)) throw new Error(result.message);
    expect(result.payload.reviewResult?.moderationComment).toBe('a\uFFFDb\uFFFDc');
    const unrepaired = parseWebhook(raw.replace('\\ud800', '\\uFFFD').replace('\\u0000', '\\uFFFD'));
    if (isParseFailure(unrepaired)) throw new Error(unrepaired.message);
    expect(result.eventId).toBe(unrepaired.eventId); // the id fields (not the comment) decide
  });

  it('skips the storability walk only where it would change nothing (any UTF-16 text in a comment)', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
    const text = fc.string({ unit: fc.oneof(codeUnit, fc.constantFrom('\\', 'u', '\u0000', '\ud800')), maxLength: 40 });
    fc.assert(
      fc.property(text, (comment) => {
        const raw = JSON.stringify({ ...base, reviewResult: { moderationComment: comment } });
        const result = parseWebhook(raw);
        if (isParseFailure(result)) throw new Error(result.message);
        expect(result.payload).toEqual(storable(JSON.parse(raw)));
        const stored = result.payload.reviewResult?.moderationComment ?? '';
        expect(stored.includes('\u0000') || !stored.isWellFormed()).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['not json', '{"a":', 'invalid_json', /not valid JSON/],
    ['an array', '[1,2]', 'invalid_payload', /JSON object/],
    ['a string', '"x"', 'invalid_payload', /JSON object/],
    ['a numeric applicantId', JSON.stringify({ ...base, applicantId: 5 }), 'invalid_payload', /^applicantId: /],
    ['a numeric type', JSON.stringify({ ...base, type: 7 }), 'invalid_payload', /^type: /],
    ['a missing type', JSON.stringify({ ...base, type: undefined }), 'invalid_payload', /^type: /],
    ['a numeric correlationId', JSON.stringify({ ...base, correlationId: 9 }), 'invalid_payload', /^correlationId: /],
    ['sandboxMode as "yes"', JSON.stringify({ ...base, sandboxMode: 'yes' }), 'invalid_payload', /^sandboxMode: /],
    ['levelName as a number', JSON.stringify({ ...base, levelName: 3 }), 'invalid_payload', /^levelName: /],
    ['JSON nested deeper than 64 levels', `{"a":${'['.repeat(100)}${']'.repeat(100)}}`, 'invalid_payload', /nested deeper than 64/],
    ['hundreds of thousands of nested arrays', '['.repeat(500_000), 'invalid_payload', /nested deeper than 64/],
    ['reviewResult of the wrong type', JSON.stringify({ ...base, reviewResult: 'GREEN' }), 'invalid_payload', /^reviewResult/],
    [
      'rejectLabels not strings',
      JSON.stringify({ ...base, reviewResult: { rejectLabels: [1] } }),
      'invalid_payload',
      /^reviewResult\.rejectLabels/,
    ],
    ['an unparseable time', JSON.stringify({ ...base, createdAtMs: '21/02/2020' }), 'invalid_payload', /^createdAtMs: unparseable/],
    ['no time at all', JSON.stringify({ ...base, createdAtMs: undefined }), 'invalid_payload', /^createdAtMs: required/],
  ])('rejects %s, naming the problem', (_name, raw, error, message) => {
    const result = parseWebhook(raw);
    expect(result).toEqual({ error, message: expect.stringMatching(message) });
  });
});

describe('futureTimeError', () => {
  it('refuses times more than the skew ahead, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(futureTimeError(now + 3_600_000, now, 3_600_000)).toBeUndefined();
    expect(futureTimeError(now - 10 * 365 * 86_400_000, now, 3_600_000)).toBeUndefined();
    expect(futureTimeError(now + 3_600_001, now, 3_600_000)).toMatch(/in the future \(MAX_CLOCK_SKEW_MS\)/);
  });
});
