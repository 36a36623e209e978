import { InvalidCursor } from '@kyc/http';

// Keyset pagination cursors: the sort key of the last row of a page, opaque to
// clients (base64url of a JSON array of strings). Decoding checks the shape, so a
// forged cursor is a 400, never a query error.

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== parts || !key.every((p): p is string => typeof p === 'string' && PRINTABLE.test(p))) {
    throw new InvalidCursor('cursor is not one this API returned');
  }
  return key;
}

/** A row id (bigint) as cursors carry it; a bad one is a bad cursor. */
export function cursorId(text: string): string {
  if (!/^[0-9]{1,19}$/.test(text)) throw new InvalidCursor('cursor is not one this API returned');
  return text;
}

/** The cursor of lists paged by row id (deliveries, the audit log): the id of the last row. */
export const decodeIdCursor = (cursor: string): string => cursorId(decodeCursor(cursor, 1)[0] as string);

/** A time as cursors carry it; a bad one is a bad cursor. */
export function cursorTime(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new InvalidCursor('cursor is not one this API returned');
  return date;
}

/** The cursor of event listings and replay: the (receivedAt, eventId) of the last event of a page. */
export const encodeEventCursor = (event: { receivedAt: Date; eventId: string }) =>
  encodeCursor([event.receivedAt.toISOString(), event.eventId]);

export function decodeEventCursor(cursor: string): { receivedAt: Date; eventId: string } {
  const [at, eventId] = decodeCursor(cursor, 2) as [string, string];
  return { receivedAt: cursorTime(at), eventId };
}
