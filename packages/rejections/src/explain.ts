import { type ButtonEntry, type Catalogue, catalogue, type Category, type LabelEntry } from './catalogue.ts';

export type ExplainedLabel = {
  label: string;
  category: Category | null;
  resubmittable: boolean | null;
  description: string | null;
  /** false: not in the catalogue; kept as received so the catalogue can be updated. */
  known: boolean;
};

export type ExplainedButton = { id: string; group: string | null; description: string | null; known: boolean };

export type Rejection = { rejectType: string | null; labels: ExplainedLabel[]; buttons: ExplainedButton[] };

/** What a review carries (Sumsub's reviewResult fields, or the record's columns). */
export type ReviewCodes = {
  reviewAnswer?: string | null | undefined;
  reviewRejectType?: string | null | undefined;
  rejectLabels?: readonly string[] | null | undefined;
  buttonIds?: readonly string[] | null | undefined;
};

// Sumsub's published examples as captured lose every underscore
// (`AGEREQUIREMENTMISMATCH`, `selfiebadFaceComparison`): an id found nowhere else
// is also looked up without underscores. The catalogue test checks that no two
// entries collide that way.
export const squash = (code: string) => code.replaceAll('_', '');

type Index<T> = { exact: Map<string, T>; squashed: Map<string, T> };

function index<T>(entries: readonly T[], keys: (entry: T) => string[]): Index<T> {
  const exact = new Map<string, T>();
  const squashed = new Map<string, T>();
  for (const entry of entries) {
    for (const key of keys(entry)) {
      if (!exact.has(key)) exact.set(key, entry);
      if (!squashed.has(squash(key))) squashed.set(squash(key), entry);
    }
  }
  return { exact, squashed };
}

const find = <T>(i: Index<T>, code: string) => i.exact.get(code) ?? i.squashed.get(squash(code));

export type Explainer = {
  label(code: string): ExplainedLabel;
  button(id: string): ExplainedButton;
  /** The `rejection` of a RED review; null for any other. */
  rejection(review: ReviewCodes): Rejection | null;
};

/** Explanations from a catalogue: exact ids first (combined `group_button` ids before bare button ids). */
export function createExplainer(source: Catalogue): Explainer {
  const labels = index<LabelEntry>(source.labels, (entry) => [entry.code]);
  const combined = index<ButtonEntry>(source.buttons, (entry) => [entry.id]);
  // A button listed in the tables by its own id (checkUnavailable) is also sent bare.
  const bare = index<ButtonEntry>(
    source.buttons.filter((entry) => entry.button !== null),
    (entry) => [entry.button ?? ''],
  );
  const label = (code: string): ExplainedLabel => {
    const entry = find(labels, code);
    return entry
      ? { label: code, category: entry.category, resubmittable: entry.resubmittable, description: entry.description, known: true }
      : { label: code, category: null, resubmittable: null, description: null, known: false };
  };
  const button = (id: string): ExplainedButton => {
    const entry = combined.exact.get(id) ?? bare.exact.get(id) ?? find(combined, id) ?? bare.squashed.get(squash(id));
    return entry
      ? { id, group: entry.group, description: entry.description, known: true }
      : { id, group: null, description: null, known: false };
  };
  return {
    label,
    button,
    rejection(review) {
      if (review.reviewAnswer !== 'RED') return null;
      return {
        rejectType: review.reviewRejectType ?? null,
        labels: (review.rejectLabels ?? []).map(label),
        buttons: (review.buttonIds ?? []).map(button),
      };
    },
  };
}

let shipped: Explainer | undefined;
const explainer = () => (shipped ??= createExplainer(catalogue()));

/** The `rejection` of a review, from the shipped catalogue: null unless the review is RED. */
export const explainRejection = (review: ReviewCodes): Rejection | null => explainer().rejection(review);

/** One button id explained (a clarification's per-image ids). */
export const explainButton = (id: string): ExplainedButton => explainer().button(id);

/** The codes of a rejection the catalogue does not know, by kind (for the metric and the log). */
export function unknownCodes(rejection: Rejection | null): { label: string[]; button: string[] } {
  return {
    label: rejection?.labels.filter((l) => !l.known).map((l) => l.label) ?? [],
    button: rejection?.buttons.filter((b) => !b.known).map((b) => b.id) ?? [],
  };
}
