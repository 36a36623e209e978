import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  catalogue,
  createExplainer,
  explainButton,
  explainRejection,
  parseCatalogue,
  squash,
  unknownCodes,
} from '../src/index.ts';

const root = new URL('../../../', import.meta.url).pathname;
const corpus = join(root, 'test/fixtures/sumsub');

/** Every reviewResult in the published webhook examples (the ones that parse as JSON). */
function corpusReviews(): { file: string; rejectLabels: string[]; buttonIds: string[] }[] {
  const reviews = [];
  for (const folder of readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(corpus, folder.name))) {
      // Four examples are published with // comments: strip them to read their codes.
      const text = readFileSync(join(corpus, folder.name, file), 'utf8').replace(/\/\/[^\n]*/g, '');
      const body = JSON.parse(text) as { reviewResult?: { rejectLabels?: string[]; buttonIds?: string[] } | null };
      const result = body.reviewResult;
      if (result)
        reviews.push({ file: `${folder.name}/${file}`, rejectLabels: result.rejectLabels ?? [], buttonIds: result.buttonIds ?? [] });
    }
  }
  return reviews;
}

describe('the catalogue', () => {
  const { labels, buttons } = catalogue();

  it('has one entry per label code and per button id, each with a category, a description and a Sumsub page', () => {
    expect(labels.length).toBeGreaterThanOrEqual(80);
    expect(new Set(labels.map((l) => l.code)).size).toBe(labels.length);
    expect(new Set(buttons.map((b) => b.id)).size).toBe(buttons.length);
    for (const label of labels) {
      expect(CATEGORIES).toContain(label.category);
      expect(label.description.length).toBeGreaterThan(10);
      expect(label.source).toMatch(/^https:\/\/docs\.sumsub\.com\//);
    }
    for (const button of buttons) {
      expect(button.id).toBe(button.button ? `${button.group}_${button.button}` : button.group);
      expect(['resubmission', 'rejected', 'either']).toContain(button.state);
      expect(button.source).toMatch(/^https:\/\/docs\.sumsub\.com\//);
    }
  });

  it("names only labels it knows as a button's labels", () => {
    const codes = new Set(labels.map((l) => l.code));
    expect(buttons.flatMap((b) => b.labels).filter((code) => !codes.has(code))).toEqual([]);
  });

  it('has no two ids that look the same without underscores (the capture-tolerant lookup stays exact)', () => {
    expect(new Set(labels.map((l) => squash(l.code))).size).toBe(labels.length);
    expect(new Set(buttons.map((b) => squash(b.id))).size).toBe(buttons.length);
  });

  it('refuses an entry with a category outside the list, or a source it cannot name', () => {
    const good = readFileSync(new URL('../catalogue.json', import.meta.url), 'utf8');
    expect(() => parseCatalogue(good.replace('"category": "fraud_forgery"', '"category": "fraud"'))).toThrow(/unknown category fraud/);
    expect(() => parseCatalogue(good.replace('"source": "final-rejection"', '"source": "nowhere"'))).toThrow(/unknown source nowhere/);
  });
});

describe('explaining a rejection', () => {
  it('resolves every label and button id of the published examples', () => {
    const reviews = corpusReviews();
    expect(reviews.flatMap((r) => r.buttonIds)).toContain('badDocument_suspiciousDocument');
    for (const review of reviews) {
      const rejection = explainRejection({ reviewAnswer: 'RED', ...review });
      expect(unknownCodes(rejection), review.file).toEqual({ label: [], button: [] });
    }
    // …and those of the reference's examples (sumsub-webhooks.md, sumsub-api.md).
    const reference = explainRejection({
      reviewAnswer: 'RED',
      rejectLabels: [
        'UNSATISFACTORY_PHOTOS',
        'GRAPHIC_EDITOR',
        'FORGERY',
        'FRAUDULENT_PATTERNS',
        'DOCUMENT_PAGE_MISSING',
        'FRONT_SIDE_MISSING',
      ],
      buttonIds: ['dataMismatch_dateOfBirth', 'dataMismatch_fullName'],
    });
    expect(unknownCodes(reference)).toEqual({ label: [], button: [] });
  });

  it("explains the source document's RED example: BAD_PROOF_OF_IDENTITY and both button ids", () => {
    expect(
      explainRejection({
        reviewAnswer: 'RED',
        reviewRejectType: 'RETRY',
        rejectLabels: ['BAD_PROOF_OF_IDENTITY'],
        buttonIds: ['badDocument_suspiciousDocument', 'badDocument'],
      }),
    ).toEqual({
      rejectType: 'RETRY',
      labels: [
        { label: 'BAD_PROOF_OF_IDENTITY', category: 'document_quality', resubmittable: true, description: expect.any(String), known: true },
      ],
      buttons: [
        { id: 'badDocument_suspiciousDocument', group: 'badDocument', description: expect.stringMatching(/suspicion/), known: true },
        { id: 'badDocument', group: 'badDocument', description: expect.any(String), known: true },
      ],
    });
  });

  it('resolves a button by its combined id and by the bare id the tables list', () => {
    const combined = explainButton('dbNetChecks_checkUnavailable');
    expect(combined).toEqual(expect.objectContaining({ group: 'dbNetChecks', known: true }));
    expect(explainButton('checkUnavailable')).toEqual({ ...combined, id: 'checkUnavailable' });
    expect(explainButton('compromisedPersons_sanctionList').description).toMatch(/sanctions/);
    expect(explainButton('sanctionList').group).toBe('compromisedPersons');
  });

  it('tells a blurry photo from a sanctions hit', () => {
    const rejection = explainRejection({ reviewAnswer: 'RED', rejectLabels: ['UNSATISFACTORY_PHOTOS', 'SANCTIONS'] });
    expect(rejection?.labels.map((l) => [l.category, l.resubmittable])).toEqual([
      ['document_quality', true],
      ['compliance_aml', false],
    ]);
  });

  it('keeps unknown codes, flagged, and reports them by kind', () => {
    const rejection = explainRejection({
      reviewAnswer: 'RED',
      rejectLabels: ['SANCTIONS', 'BRAND_NEW_LABEL'],
      buttonIds: ['newGroup_newButton', 'badPhoto_screenshot'],
    });
    expect(rejection?.labels[1]).toEqual({
      label: 'BRAND_NEW_LABEL',
      category: null,
      resubmittable: null,
      description: null,
      known: false,
    });
    expect(rejection?.buttons[0]).toEqual({ id: 'newGroup_newButton', group: null, description: null, known: false });
    expect(unknownCodes(rejection)).toEqual({ label: ['BRAND_NEW_LABEL'], button: ['newGroup_newButton'] });
  });

  it('is null for a review that is not RED', () => {
    expect(explainRejection({ reviewAnswer: 'GREEN', rejectLabels: [] })).toBeNull();
    expect(explainRejection({ reviewAnswer: null })).toBeNull();
  });

  it('explains from whatever catalogue it is given (an update is a data change)', () => {
    const explainer = createExplainer({
      labels: [
        { code: 'NEW_LABEL', category: 'other', resubmittable: false, description: 'added by Sumsub', source: 'https://docs.sumsub.com/x' },
      ],
      buttons: [],
    });
    expect(explainer.label('NEW_LABEL').known).toBe(true);
    expect(explainer.label('SANCTIONS').known).toBe(false);
  });
});
