import { DURATION_PATTERN } from '@kyc/runtime';
import { Type } from '@sinclair/typebox';
import { AccountName, ApplicantId, SafeText } from './common.ts';

export const RefreshResponse = Type.Object({
  applicantId: Type.String(),
  status: Type.Literal('queued', {
    description: 'a worker fetches the results; documentsFetchedAt on the record changes when they are stored',
  }),
  jobId: Type.String(),
});

export const ReconcileBody = Type.Object(
  {
    applicantIds: Type.Optional(Type.Array(ApplicantId, { minItems: 1, maxItems: 1000, uniqueItems: true })),
    staleAfter: Type.Optional(
      Type.String({
        pattern: DURATION_PATTERN,
        description: 'every applicant whose reviewStatus is not completed and whose newest event is older than this (e.g. 1h, 30m, 2d)',
      }),
    ),
    account: Type.Optional(
      Type.String({
        pattern: AccountName.pattern,
        description:
          "staleAfter: only this Sumsub account's applicants; applicantIds: whose credentials read applicants not recorded yet (recorded ones are always read with their own account's)",
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'applicants per page (staleAfter)' })),
    cursor: Type.Optional(SafeText(512, 'nextCursor of the previous page')),
  },
  { additionalProperties: false },
);

export const ReconcileResponse = Type.Object({
  checked: Type.Integer({ description: 'applicants whose review was read from Sumsub (updated + unchanged + notFound)' }),
  updated: Type.Integer({ description: "Sumsub's review was newer: recorded as an event (source reconcile) and applied" }),
  unchanged: Type.Integer({ description: 'the record already held this review or a newer one' }),
  notFound: Type.Integer({ description: 'Sumsub does not know the applicant' }),
  failed: Type.Integer({ description: 'the call failed (see the worker log and kyc_sumsub_api_requests_total)' }),
  pending: Type.Integer({ description: 'not finished within the wait; they go on in the background' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'staleAfter: pass as cursor for the next page; null when done' }),
});
