// Sumsub user-verification event types that describe the applicant itself.
// Everything else (unknown types, and the documented KYT transaction and applicant
// *action* events, whose reviewStatus/reviewResult belong to a transaction or an
// action rather than the applicant) is stored but only moves lastEvent*.
export const APPLICANT_STATE_EVENT_TYPES = Object.freeze([
  'applicantCreated',
  'applicantPending',
  'applicantReviewed',
  'applicantOnHold',
  'applicantPersonalInfoChanged',
  'applicantTagsChanged',
  'applicantActivated',
  'applicantDeactivated',
  'applicantDeleted',
  'applicantReset',
  'applicantPrechecked',
  'applicantLevelChanged',
  'applicantWorkflowCompleted',
  'applicantAwaitingService',
  'videoIdentStatusChanged',
  'videoIdentCompositionCompleted',
] as const);

const stateTypes = new Set<string>(APPLICANT_STATE_EVENT_TYPES);
export function isApplicantStateEvent(type: string): boolean {
  return stateTypes.has(type);
}
