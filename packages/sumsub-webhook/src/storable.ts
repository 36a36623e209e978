// PostgreSQL cannot store U+0000 in text or jsonb, nor a lone UTF-16 surrogate
// in jsonb ("\ud800" is valid JSON). Without this a signed payload carrying one
// would be acknowledged and then fail on every attempt. Such characters become
// U+FFFD; the event id is derived from the original text first. The raw body is
// kept as received (it is valid UTF-8 text, so always storable).

const needsRepair = (text: string) => text.includes('\u0000') || !text.isWellFormed();
const repair = (text: string) => text.replaceAll('\u0000', '\uFFFD').toWellFormed();

function hasUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return needsRepair(value);
  if (Array.isArray(value)) return value.some(hasUnstorable);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => needsRepair(k) || hasUnstorable(v));
  return false;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return needsRepair(value) ? repair(value) : value;
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [needsRepair(k) ? repair(k) : k, clean(v)]));
  }
  return value;
}

/**
 * The value with every string PostgreSQL can store; the same object when nothing
 * needed repair (the common case, on a hot path). Recursion is bounded: intake
 * refuses JSON nested deeper than MAX_JSON_DEPTH.
 *
 * `jsonText`, the text the value was parsed from, skips the walk when it cannot
 * hold either character: JSON forbids raw control characters, so U+0000 and a
 * lone surrogate in a parsed value come only from a `\u` escape or from a text
 * that is itself not well-formed.
 */
export function storable<T>(value: T, jsonText?: string): T {
  if (jsonText !== undefined && !jsonText.includes('\\u') && jsonText.isWellFormed()) return value;
  return hasUnstorable(value) ? (clean(value) as T) : value;
}
