import { isParseFailure, parseWebhook } from '@kyc/sumsub-webhook';
import { describe, expect, it } from 'vitest';
import { generateDeliveries } from '../src/generator.ts';

const eventId = (body: string) => {
  const parsed = parseWebhook(body);
  if (isParseFailure(parsed)) throw new Error(parsed.message);
  return parsed;
};

describe('generateDeliveries', () => {
  it('produces count deliveries over the applicants, with the asked share of duplicates', () => {
    const deliveries = generateDeliveries({ count: 1000, applicants: 50, duplicates: 0.3, shuffle: false, seed: 7 });
    expect(deliveries).toHaveLength(1000);
    const parsed = deliveries.map((d) => eventId(d.body));
    expect(new Set(parsed.map((p) => p.eventId)).size).toBe(700);
    expect(deliveries.filter((d) => d.duplicate)).toHaveLength(300);
    expect(new Set(parsed.map((p) => p.payload.applicantId)).size).toBe(50);
  });

  it('gives each applicant increasing event times in delivery order unless shuffled', () => {
    const parsed = generateDeliveries({ count: 200, applicants: 5, duplicates: 0, shuffle: false, seed: 1 }).map((d) => eventId(d.body));
    const last = new Map<string, number>();
    for (const p of parsed) {
      expect(p.eventAt).toBeGreaterThan(last.get(String(p.payload.applicantId)) ?? 0);
      last.set(String(p.payload.applicantId), p.eventAt);
    }
  });

  it('shuffles repeatably for a seed', () => {
    const a = generateDeliveries({ count: 300, applicants: 10, duplicates: 0.2, shuffle: true, seed: 42 }).map(
      (d) => eventId(d.body).eventId,
    );
    const b = generateDeliveries({ count: 300, applicants: 10, duplicates: 0.2, shuffle: true, seed: 42 }).map(
      (d) => eventId(d.body).eventId,
    );
    expect(a).toEqual(b);
    const unshuffled = generateDeliveries({ count: 300, applicants: 10, duplicates: 0.2, shuffle: false, seed: 42 }).map(
      (d) => eventId(d.body).eventId,
    );
    expect(unshuffled.slice().sort()).toEqual(a.slice().sort());
    expect(unshuffled).not.toEqual(a);
  });
});
