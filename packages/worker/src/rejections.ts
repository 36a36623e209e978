import { counter } from '@kyc/runtime';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** Rejection codes a review or clarification carried that the catalogue (@kyc/rejections) does not know. */
export type UnknownCodes = { label: string[]; button: string[] };
export type ReportUnknown = (codes: UnknownCodes, applicantId: string) => void;

/**
 * Counts unknown codes by kind (label or button: one bounded metric label) and
 * logs the codes themselves, so the catalogue can be brought up to date. Codes
 * are Sumsub's identifiers, never personal data.
 */
export function unknownCodesReporter(registry: Registry, log: Logger): ReportUnknown {
  const unknown = counter(registry, {
    name: 'kyc_rejection_codes_unknown_total',
    help: 'Rejection labels and button ids Sumsub sent that packages/rejections/catalogue.json does not know, by kind (label, button)',
    labelNames: ['kind'],
  });
  unknown.inc({ kind: 'label' }, 0);
  unknown.inc({ kind: 'button' }, 0);
  return (codes, applicantId) => {
    for (const kind of ['label', 'button'] as const) {
      if (codes[kind].length === 0) continue;
      unknown.inc({ kind }, codes[kind].length);
      log.warn(
        { applicantId, kind, codes: codes[kind] },
        'rejection codes not in the catalogue: add them to packages/rejections/catalogue.json',
      );
    }
  };
}
