import { InvalidCursor } from '@kyc/http';

// Keyset pagination cursors: the sort key of the last row of a page, opaque to
// clients (base64url of a JSON array of strings). Decoding checks the shape and
// every value's range, so a forged cursor is a 400, never a query error.

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,2048}$/;
/** PostgreSQL's bigint: row ids and change positions never exceed it. */
const BIGINT_MAX = 9_223_372_036_854_775_807n;
/** Times a cursor can carry: ones this service wrote (1970 to 9999, what PostgreSQL and ISO text both hold). */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1) - 1;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const invalid = (why: string) => new InvalidCursor(`cursor is not one this API returned: ${why}`);

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function parse(cursor: string): unknown {
  if (!BASE64URL.test(cursor)) throw invalid('not base64url');
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
}

export function decodeCursor(cursor: string, parts: number): string[] {
  const key = parse(cursor);
  if (!Array.isArray(key) || key.length !== parts) throw invalid(`expected ${parts} part${parts === 1 ? '' : 's'}`);
  if (!key.every((p): p is string => typeof p === 'string' && PRINTABLE.test(p))) throw invalid('parts must be short printable text');
  return key;
}

/** A row id or change position (a positive bigint) as cursors carry it; a bad one is a bad cursor. */
export function cursorId(text: string): string {
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) > BIGINT_MAX) throw invalid('id out of range');
  return text;
}

/** The cursor of lists paged by row id (deliveries, the audit log): the id of the last row. */
export const decodeIdCursor = (cursor: string): string => cursorId(decodeCursor(cursor, 1)[0] as string);

/** A time as cursors carry it (ISO 8601 in UTC, 1970 to 9999); a bad one is a bad cursor. */
export function cursorTime(text: string): Date {
  const date = new Date(text);
  const ms = date.getTime();
  if (!ISO_TIME.test(text) || Number.isNaN(ms) || ms < EARLIEST || ms > LATEST) throw invalid('time out of range');
  return date;
}

/** The cursor of event listings and replay: the (receivedAt, eventId) of the last event of a page. */
export const encodeEventCursor = (event: { receivedAt: Date; eventId: string }) =>
  encodeCursor([event.receivedAt.toISOString(), event.eventId]);

export function decodeEventCursor(cursor: string): { receivedAt: Date; eventId: string } {
  const [at, eventId] = decodeCursor(cursor, 2) as [string, string];
  return { receivedAt: cursorTime(at), eventId };
}
