import { TypeCompiler } from '@sinclair/typebox/compiler';
import { eventIdOf } from './event-id.ts';
import { eventTimeOf } from './event-time.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';
import { describeSchemaError } from './schema-errors.ts';
import { storable } from './storable.ts';
import { type SumsubWebhook, SumsubWebhookSchema } from './webhook-schema.ts';

const check = TypeCompiler.Compile(SumsubWebhookSchema);

/** A webhook that passed the contract, with what ordering and dedup need. */
export type ParsedWebhook = {
  eventId: string;
  /** Event time, milliseconds since the epoch (Sumsub's createdAtMs, else createdAt). */
  eventAt: number;
  /** The payload as received, made storable (U+0000 and lone surrogates as U+FFFD). */
  payload: SumsubWebhook;
};

export type ParseFailure = { error: 'invalid_json' | 'invalid_payload'; message: string };

/** Validates a JSON value (parsed from jsonText, when given) against the contract and derives the event id and time. */
export function parseWebhookValue(value: unknown, jsonText?: string): ParsedWebhook | ParseFailure {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'invalid_payload', message: 'body must be a JSON object' };
  }
  if (!check.Check(value)) {
    return { error: 'invalid_payload', message: describeSchemaError(check.Errors(value).First()) };
  }
  const time = eventTimeOf(value);
  if ('error' in time) return { error: 'invalid_payload', message: time.error };
  const eventId = eventIdOf({ ...value, eventAt: time.at });
  return { eventId, eventAt: time.at, payload: storable(value, jsonText) };
}

/** Parses the raw body (never re-serialised JSON) and validates it. */
export function parseWebhook(raw: string): ParsedWebhook | ParseFailure {
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    return { error: 'invalid_payload', message: `body: JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { error: 'invalid_json', message: `body is not valid JSON: ${(error as Error).message}` };
  }
  return parseWebhookValue(value, raw);
}

export function isParseFailure(result: ParsedWebhook | ParseFailure): result is ParseFailure {
  return 'error' in result;
}

/**
 * A time more than `maxSkewMs` in the future is refused: such an event would win
 * every order comparison until then, so a forged or broken one would freeze the
 * record. Returns the reason, or undefined when the time is acceptable.
 */
export function futureTimeError(eventAt: number, now: number, maxSkewMs: number): string | undefined {
  if (eventAt <= now + maxSkewMs) return undefined;
  return `createdAtMs: ${new Date(eventAt).toISOString()} is more than ${maxSkewMs} ms in the future (MAX_CLOCK_SKEW_MS)`;
}
