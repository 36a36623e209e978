import { createHash } from 'node:crypto';

export type EventIdFields = {
  applicantId?: string | undefined;
  type: string;
  correlationId?: string | null | undefined;
  eventAt: number;
  kytTxnId?: string | null | undefined;
  kytDataTxnId?: string | null | undefined;
};

/**
 * One stable id for "the same event". correlationId alone is not unique: Sumsub
 * shares it across related events (pending and reviewed of one request). Built
 * from parsed fields, so re-sends with other bytes (key order, spacing) agree.
 * The fields are hashed as a JSON array, an unambiguous encoding: no two
 * different field lists hash the same text (v1 joined them with NUL, which a
 * field containing NUL could forge). Transaction events without an applicant are
 * told apart by their transaction ids. Also the BullMQ jobId: no ':', never an integer.
 */
export function eventIdOf(fields: EventIdFields): string {
  const encoded = JSON.stringify([
    'v2',
    fields.applicantId ?? null,
    fields.type,
    fields.correlationId ?? null,
    fields.eventAt,
    fields.kytTxnId ?? null,
    fields.kytDataTxnId ?? null,
  ]);
  return `evt_${createHash('sha256').update(encoded).digest('hex').slice(0, 32)}`;
}
