import { describe, expect, it } from 'vitest';
import { eventTimeOf, parseSumsubTime } from '../src/event-time.ts';

describe('parseSumsubTime', () => {
  it('reads createdAtMs as UTC with milliseconds', () => {
    expect(parseSumsubTime('2020-02-21 13:23:19.321')).toBe(Date.parse('2020-02-21T13:23:19.321Z'));
  });

  it('reads createdAt with its +0000 offset, and other offsets', () => {
    expect(parseSumsubTime('2026-04-30 08:04:23+0000')).toBe(Date.parse('2026-04-30T08:04:23.000Z'));
    expect(parseSumsubTime('2026-04-30 10:04:23+0200')).toBe(Date.parse('2026-04-30T08:04:23.000Z'));
    expect(parseSumsubTime('2025-01-30 11:41:55+0000')).toBe(Date.parse('2025-01-30T11:41:55.000Z'));
  });

  it('pads short fractions and ignores digits past milliseconds', () => {
    expect(parseSumsubTime('2020-02-21 13:23:19.3')).toBe(Date.parse('2020-02-21T13:23:19.300Z'));
    expect(parseSumsubTime('2020-02-21 13:23:19.321999')).toBe(Date.parse('2020-02-21T13:23:19.321Z'));
  });

  it.each(['', 'yesterday', '2020-02-30 10:00:00.000', '2020-13-01 10:00:00', '2020-02-21 24:00:00', '1582282999321', '2020-02-21'])(
    'rejects %j',
    (text) => expect(parseSumsubTime(text)).toBeUndefined(),
  );
});

describe('eventTimeOf', () => {
  it('prefers createdAtMs, falls back to createdAt, and names an unreadable field', () => {
    expect(eventTimeOf({ createdAtMs: '2020-02-21 13:23:19.321', createdAt: '2020-02-21 13:23:19+0000' })).toEqual({
      at: Date.parse('2020-02-21T13:23:19.321Z'),
      source: 'createdAtMs',
    });
    expect(eventTimeOf({ createdAtMs: null, createdAt: '2020-02-21 13:23:19+0000' })).toMatchObject({ source: 'createdAt' });
    expect(eventTimeOf({ createdAtMs: 'soon' })).toEqual({ error: expect.stringMatching(/^createdAtMs: unparseable/) });
    expect(eventTimeOf({})).toEqual({ error: expect.stringMatching(/^createdAtMs: required/) });
  });
});
