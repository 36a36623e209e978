import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isParseFailure, parseWebhook } from '../src/parse-webhook.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/sumsub/${name}`, import.meta.url), 'utf8');
const base = { applicantId: 'a1', type: 'applicantPending', correlationId: 'c1', createdAtMs: '2020-02-21 13:23:19.321' };

describe('parseWebhook', () => {
  it('accepts both documented examples and keeps unknown fields', () => {
    for (const name of ['applicant-reviewed-green.json', 'applicant-reviewed-red-retry.json']) {
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

  it.each([
    ['not json', '{"a":', 'invalid_json', /not valid JSON/],
    ['an array', '[1,2]', 'invalid_payload', /JSON object/],
    ['a string', '"x"', 'invalid_payload', /JSON object/],
    ['a missing applicantId', JSON.stringify({ ...base, applicantId: undefined }), 'invalid_payload', /^applicantId: /],
    ['a numeric type', JSON.stringify({ ...base, type: 7 }), 'invalid_payload', /^type: /],
    ['a missing correlationId', JSON.stringify({ ...base, correlationId: undefined }), 'invalid_payload', /^correlationId: /],
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
