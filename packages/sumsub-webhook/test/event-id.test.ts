import { describe, expect, it } from 'vitest';
import { eventIdOf } from '../src/event-id.ts';

describe('eventIdOf', () => {
  it('cannot be made to collide by moving a separator between fields (v1 joined them with NUL)', () => {
    // Under v1, "a\u0000applicantReviewed" + "c" and "a" + "applicantReviewed\u0000c" hashed the same bytes.
    const a = eventIdOf({ applicantId: 'a\u0000applicantReviewed', type: 'c', correlationId: 'x', eventAt: 1 });
    const b = eventIdOf({ applicantId: 'a', type: 'applicantReviewed\u0000c', correlationId: 'x', eventAt: 1 });
    expect(a).not.toBe(b);
    const c = eventIdOf({ applicantId: 'ab', type: 't', correlationId: 'c', eventAt: 1 });
    const d = eventIdOf({ applicantId: 'a', type: 'bt', correlationId: 'c', eventAt: 1 });
    expect(c).not.toBe(d);
  });

  it('tells an absent field from an empty one, and transaction ids apart', () => {
    const base = { type: 'applicantKytTxnCreated', eventAt: 5 };
    const ids = [
      eventIdOf(base),
      eventIdOf({ ...base, correlationId: '' }),
      eventIdOf({ ...base, kytTxnId: 't1' }),
      eventIdOf({ ...base, kytDataTxnId: 't1' }),
    ];
    expect(new Set(ids).size).toBe(4);
  });

  it('is a jobId BullMQ accepts: no colon, never an integer', () => {
    expect(eventIdOf({ applicantId: 'x', type: 'y', correlationId: 'z', eventAt: 0 })).toMatch(/^evt_[0-9a-f]{32}$/);
  });
});
