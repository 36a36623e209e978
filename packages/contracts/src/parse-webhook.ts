import { TypeCompiler } from '@sinclair/typebox/compiler';
import { eventIdOf } from './event-id.ts';
import { eventTimeOf } from './event-time.ts';
import { describeSchemaError } from './schema-errors.ts';
import { type SumsubWebhook, SumsubWebhookSchema } from './webhook-schema.ts';

const check = TypeCompiler.Compile(SumsubWebhookSchema);

/** A webhook that passed the contract, with what ordering and dedup need. */
export type ParsedWebhook = {
  eventId: string;
  eventAt: number;
  payload: SumsubWebhook;
};

export type ParseFailure = { error: 'invalid_json' | 'invalid_payload'; message: string };

/** Validates a JSON value against the contract and derives the event id and time. */
export function parseWebhookValue(value: unknown): ParsedWebhook | ParseFailure {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'invalid_payload', message: 'body must be a JSON object' };
  }
  if (!check.Check(value)) {
    return { error: 'invalid_payload', message: describeSchemaError(check.Errors(value).First()) };
  }
  const time = eventTimeOf(value);
  if ('error' in time) return { error: 'invalid_payload', message: time.error };
  const eventId = eventIdOf({ applicantId: value.applicantId, type: value.type, correlationId: value.correlationId, eventAt: time.at });
  return { eventId, eventAt: time.at, payload: value };
}

/** Parses the raw body (never re-serialised JSON) and validates it. */
export function parseWebhook(raw: string): ParsedWebhook | ParseFailure {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { error: 'invalid_json', message: `body is not valid JSON: ${(error as Error).message}` };
  }
  return parseWebhookValue(value);
}

export function isParseFailure(result: ParsedWebhook | ParseFailure): result is ParseFailure {
  return 'error' in result;
}
