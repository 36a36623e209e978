/** A duration as the configuration and the admin API write it: `500ms`, `30s`, `15m`, `1h`, `7d`. */
export const DURATION_PATTERN = '^[1-9][0-9]{0,8}(ms|s|m|h|d)$';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = new RegExp(DURATION_PATTERN).exec(text.trim());
  if (!match) return undefined;
  return Number.parseInt(text, 10) * (UNIT_MS[match[1] as string] as number);
}
