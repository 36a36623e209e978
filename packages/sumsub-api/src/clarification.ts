import { segment } from './client.ts';

// GET /resources/moderationStates/-;applicantId={applicantId} ("Clarify rejection
// reason", docs.sumsub.com/reference/clarify-rejection-reason): `imagesStates`
// "contains imageId and buttonId indicating the rejection reason", `applicantState`
// "contains buttonId indicating the rejection reason of the applicant data or
// applicant"; both "present in the response only when the applicant is rejected".
// Each id combines group and button (`dataMismatch_fullName`). The nesting (a map
// keyed by image id or a list; `buttonId` or `buttonIds`) is not shown by the
// documentation, so every documented reading is accepted and anything else is
// dropped, never fatal.

export type ClarifiedImage = { imageId: string; buttonIds: string[] };
export type Clarification = { applicantButtonIds: string[]; images: ClarifiedImage[] };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const idOf = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;

/** Button ids in a string, a list of strings, or an object's buttonId/buttonIds, in order, once each. */
function buttonIds(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string' && v !== '') found.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      visit(v.buttonId);
      visit(v.buttonIds);
    }
  };
  visit(value);
  return [...new Set(found)];
}

function images(states: unknown): ClarifiedImage[] {
  const entries: [string | null, unknown][] = Array.isArray(states)
    ? states.map((state) => [isObject(state) ? idOf(state.imageId) : null, state])
    : isObject(states)
      ? Object.entries(states).map(([key, state]) => [(isObject(state) ? idOf(state.imageId) : null) ?? key, state])
      : [];
  return entries.flatMap(([imageId, state]) => (imageId ? [{ imageId, buttonIds: buttonIds(state) }] : []));
}

/** The clarification in a moderationStates answer; empty when the applicant is not rejected. */
export function clarificationOf(body: unknown): Clarification {
  if (!isObject(body)) return { applicantButtonIds: [], images: [] };
  return { applicantButtonIds: buttonIds(body.applicantState), images: images(body.imagesStates) };
}

/** The path of the call for one applicant (the id percent-encoded, and signed in that form). */
export const clarificationPath = (applicantId: string) => `/resources/moderationStates/-;applicantId=${segment(applicantId)}`;
