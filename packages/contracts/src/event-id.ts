import { createHash } from 'node:crypto';

/**
 * One stable id for "the same event". correlationId alone is not unique: Sumsub
 * shares it across related events (pending and reviewed of one request). Built
 * from parsed fields, so re-sends with other bytes (key order, spacing) agree.
 * Also the BullMQ jobId, so it holds no ':' and is never an integer.
 */
export function eventIdOf(fields: { applicantId: string; type: string; correlationId: string; eventAt: number }): string {
  const hash = createHash('sha256');
  for (const part of ['v1', fields.applicantId, fields.type, fields.correlationId, String(fields.eventAt)]) {
    hash.update(part).update('\u0000');
  }
  return `evt_${hash.digest('hex').slice(0, 32)}`;
}
