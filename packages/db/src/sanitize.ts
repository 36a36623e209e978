import type { SumsubWebhook } from '@kyc/contracts';

// PostgreSQL cannot store U+0000 in text or jsonb. JSON allows it ("\u0000"), so
// without this a signed payload carrying one would fail on every attempt. It is
// replaced by U+FFFD; the event id was derived from the original text already.
function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k) as string, clean(v)]));
  }
  return value;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasNul(k) || hasNul(v));
  return false;
}

/** The payload, copied with U+FFFD for U+0000 only in the rare case it holds one (a hot path). */
export function storablePayload(payload: SumsubWebhook): SumsubWebhook {
  return hasNul(payload) ? (clean(payload) as SumsubWebhook) : payload;
}
