// Every webhook type Sumsub documents, by its documentation page (the
// fixture corpus in test/fixtures/sumsub holds their published examples; what
// each does to the record is in docs/sumsub-events.md). Used for metric labels,
// CLI samples and docs. Which of them move the applicant's state is a rule of
// the merge (packages/db/sql/01-merge.sql), not of this list: a type Sumsub
// adds next year is handled by its family without being listed here.

/** https://docs.sumsub.com/docs/user-verification-webhooks */
export const USER_VERIFICATION_EVENT_TYPES = Object.freeze([
  'applicantCreated',
  'applicantPending',
  'applicantReviewed',
  'applicantOnHold',
  'applicantActionPending',
  'applicantActionReviewed',
  'applicantActionOnHold',
  'applicantActionLevelChanged',
  'applicantPersonalInfoChanged',
  'applicantTagsChanged',
  'applicantActivated',
  'applicantDeactivated',
  'applicantDeleted',
  'applicantReset',
  'applicantPrechecked',
  'applicantLevelChanged',
  'applicantWorkflowCompleted',
  'applicantWorkflowFailed',
  'videoIdentStatusChanged',
  'videoIdentCompositionCompleted',
  'applicantAwaitingService',
  'applicantAwaitingUser',
  'applicantStepsReset',
  'applicantPersonalDataDeleted',
  'companyStructureChanged',
] as const);

/** https://docs.sumsub.com/docs/transaction-monitoring-webhooks (Travel Rule uses the same types). */
export const TRANSACTION_MONITORING_EVENT_TYPES = Object.freeze([
  'applicantKytTxnCreated',
  'applicantKytTxnApproved',
  'applicantKytTxnRejected',
  'applicantKytTxnReviewed',
  'applicantKytTxnDeleted',
  'applicantKytOnHold',
  'applicantKytTxnAwaitingUser',
  'applicantKytTxnDataChanged',
] as const);

/** https://docs.sumsub.com/docs/case-management-webhooks (the legacy case flow). */
export const CASE_MANAGEMENT_EVENT_TYPES = Object.freeze([
  'kytCaseCreated',
  'kytCaseReviewed',
  'kytCaseStatusChanged',
  'amlCaseApproved',
  'amlCaseRejected',
  'amlCaseOnHold',
] as const);

export const KNOWN_EVENT_TYPES: readonly string[] = Object.freeze([
  ...USER_VERIFICATION_EVENT_TYPES,
  ...TRANSACTION_MONITORING_EVENT_TYPES,
  ...CASE_MANAGEMENT_EVENT_TYPES,
]);

const known = new Set(KNOWN_EVENT_TYPES);

/** The type as a metric label: documented types as they are, anything else as `other` (bounded cardinality). */
export function eventTypeLabel(type: string | undefined): string {
  return type !== undefined && known.has(type) ? type : 'other';
}
