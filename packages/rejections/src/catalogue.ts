import { readFileSync } from 'node:fs';

// The catalogue is data (../catalogue.json, one level above both src/ and dist/),
// so adding a label Sumsub publishes is an edit to one file, reviewed against
// the page its `source` names.

export const CATEGORIES = [
  'document_quality',
  'missing_documents',
  'data_mismatch',
  'selfie_liveness',
  'fraud_forgery',
  'compliance_aml',
  'regulations_region',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Which of Sumsub's button lists an entry belongs to; `either`: the same id is listed in both. */
export type ButtonState = 'resubmission' | 'rejected' | 'either';

export type LabelEntry = {
  code: string;
  category: Category;
  /** Whether the applicant can fix it by resubmitting (the review's reviewRejectType still decides what Sumsub allows). */
  resubmittable: boolean;
  description: string;
  /** The Sumsub page the entry comes from. */
  source: string;
};

export type ButtonEntry = {
  /** As Sumsub sends it: `group_button`, or the bare id of a group or of a button listed without one. */
  id: string;
  group: string;
  /** null: the group itself (Sumsub sends the group id beside its buttons, or alone). */
  button: string | null;
  labels: string[];
  state: ButtonState;
  description: string;
  source: string;
};

export type Catalogue = { labels: LabelEntry[]; buttons: ButtonEntry[] };

type RawCatalogue = {
  sources: Record<string, string>;
  labels: (Omit<LabelEntry, 'category'> & { category: string })[];
  buttons: ButtonEntry[];
};

const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

/** The catalogue with each `source` key expanded to its page; throws on an entry the file gets wrong. */
export function parseCatalogue(text: string): Catalogue {
  const raw = JSON.parse(text) as RawCatalogue;
  const source = (key: string) => {
    const url = raw.sources[key];
    if (!url) throw new Error(`catalogue.json: unknown source ${key}`);
    return url;
  };
  const labels = raw.labels.map((entry) => {
    if (!isCategory(entry.category)) throw new Error(`catalogue.json: ${entry.code} has unknown category ${entry.category}`);
    return { ...entry, category: entry.category, source: source(entry.source) };
  });
  const buttons = raw.buttons.map((entry) => ({ ...entry, source: source(entry.source) }));
  return { labels, buttons };
}

let loaded: Catalogue | undefined;

/** The catalogue shipped with this package (read once). */
export function catalogue(): Catalogue {
  loaded ??= parseCatalogue(readFileSync(new URL('../catalogue.json', import.meta.url), 'utf8'));
  return loaded;
}
