import { hexId, newApplicant, SAMPLES, type SampleName } from './samples.ts';

export type GeneratorOptions = { count: number; applicants: number; duplicates: number; shuffle: boolean; seed?: number };
export type Delivery = { body: string; duplicate: boolean };

// A lifecycle that real applicants go through; each applicant walks it from the
// start, wrapping around (a reset starts a new round of review).
const LIFECYCLE: SampleName[] = [
  'created',
  'pending',
  'on-hold',
  'red-retry',
  'pending',
  'green',
  'personal-info-changed',
  'reset',
  'pending',
  'red-final',
];

/** mulberry32: small and seedable, so a load profile can be replayed exactly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` deliveries over `applicants` applicants, a `duplicates` share of them
 * re-deliveries of earlier events (same bytes), optionally shuffled so events
 * arrive out of order as Sumsub's retries make them.
 */
export function generateDeliveries({ count, applicants, duplicates, shuffle, seed = Date.now() }: GeneratorOptions): Delivery[] {
  const rand = random(seed);
  const distinct = Math.max(1, Math.round(count * (1 - duplicates)));
  const people = Array.from({ length: Math.max(1, applicants) }, (_, i) => ({
    ctx: newApplicant(new Date(Date.UTC(2026, 0, 1) + i * 1000), rand),
    step: 0,
  }));
  const events: Delivery[] = [];
  for (let i = 0; i < distinct; i++) {
    const person = people[i % people.length] as (typeof people)[number];
    const sample = LIFECYCLE[person.step % LIFECYCLE.length] as SampleName;
    person.ctx = {
      ...person.ctx,
      at: new Date(person.ctx.at.getTime() + 1000 + Math.floor(rand() * 60_000)),
      correlationId: `req-${hexId(32, rand)}`,
    };
    person.step++;
    events.push({ body: JSON.stringify(SAMPLES[sample](person.ctx)), duplicate: false });
  }
  const deliveries = [...events];
  for (let i = distinct; i < count; i++) {
    const original = events[Math.floor(rand() * events.length)] as Delivery;
    deliveries.push({ body: original.body, duplicate: true });
  }
  if (shuffle) {
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j] as Delivery, deliveries[i] as Delivery];
    }
  }
  return deliveries;
}
