// Sumsub sends times as UTC strings, not epoch: `createdAtMs` as
// "2020-02-21 13:23:19.321" and `createdAt` as "2026-04-30 08:04:23+0000". Some
// examples put the second form in createdAtMs, so both forms are read from both.
const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Sumsub's createdAtMs form, "yyyy-MM-dd HH:mm:ss.fff" in UTC: what parseSumsubTime reads back. */
export function sumsubTimeMs(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Milliseconds since the epoch, or undefined when the text is not a valid time. */
export function parseSumsubTime(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  // Date.UTC rolls 2020-02-30 over to March; a real time survives the round trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return local - offsetMinutes(m[8]) * 60_000;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

export type EventTime = { at: number; source: 'createdAtMs' | 'createdAt' };

/** The event's time: createdAtMs, else createdAt. A present but unreadable value is an error, not a fallback. */
export function eventTimeOf(payload: { createdAtMs?: string | null; createdAt?: string | null }): EventTime | { error: string } {
  for (const source of ['createdAtMs', 'createdAt'] as const) {
    const value = payload[source];
    if (value === undefined || value === null) continue;
    const at = parseSumsubTime(value);
    if (at === undefined)
      return {
        error: `${source}: unparseable time ${JSON.stringify(value.slice(0, 40))} (expected "yyyy-MM-dd HH:mm:ss.fff" or "yyyy-MM-dd HH:mm:ss+0000", UTC)`,
      };
    return { at, source };
  }
  return { error: 'createdAtMs: required (or createdAt) to order the event' };
}
