import { describe, expect, it } from 'vitest';
import { documentResults, parseSumsubTime, reviewOf } from '../src/index.ts';

// The shapes quoted in shared/reference/sumsub-api.md §4 and §5.
const LEGACY_DOCS_EXAMPLE = {
  IDENTITY: {
    reviewResult: { moderationComment: 'Please upload a photo of the front of your ID card.', reviewAnswer: 'RED' },
    country: 'LVA',
    idDocType: 'ID_CARD',
    imageIds: [122352326, 34246467],
    imageReviewResults: {
      '34246467': { reviewAnswer: 'GREEN' },
      '122352326': {
        moderationComment: 'Please upload a photo of the front of your ID card.',
        clientComment: 'One side of the document is missing.',
        reviewAnswer: 'RED',
        rejectLabels: ['DOCUMENT_PAGE_MISSING', 'FRONT_SIDE_MISSING'],
        reviewRejectType: 'RETRY',
      },
    },
  },
  SELFIE: {
    reviewResult: { reviewAnswer: 'GREEN' },
    country: 'LVA',
    idDocType: 'SELFIE',
    imageIds: [181314576],
    imageReviewResults: { '181314576': { reviewAnswer: 'GREEN' } },
  },
};

describe('requiredIdDocsStatus', () => {
  it('flattens steps and their images, front side first as listed', () => {
    const results = documentResults(LEGACY_DOCS_EXAMPLE);
    expect(results.map((r) => [r.step, r.imageId, r.reviewAnswer])).toEqual([
      ['IDENTITY', null, 'RED'],
      ['IDENTITY', '122352326', 'RED'],
      ['IDENTITY', '34246467', 'GREEN'],
      ['SELFIE', null, 'GREEN'],
      ['SELFIE', '181314576', 'GREEN'],
    ]);
    expect(results[1]).toEqual({
      step: 'IDENTITY',
      idDocType: 'ID_CARD',
      country: 'LVA',
      imageId: '122352326',
      reviewAnswer: 'RED',
      rejectLabels: ['DOCUMENT_PAGE_MISSING', 'FRONT_SIDE_MISSING'],
      reviewRejectType: 'RETRY',
      moderationComment: 'Please upload a photo of the front of your ID card.',
      clientComment: 'One side of the document is missing.',
      buttonIds: [],
    });
  });

  it('tolerates the live unreviewed shape, null steps and junk', () => {
    const live = {
      IDENTITY: {
        reviewResult: {},
        country: 'USA',
        idDocType: 'PASSPORT',
        imageIds: [1710542288],
        imageReviewResults: { '1710542288': {} },
        forbidden: false,
        doubleSided: false,
        stepStatuses: null,
      },
      SELFIE: null,
      PROOF_OF_RESIDENCE: {},
      COMPANY: 'unexpected',
    };
    expect(documentResults(live).map((r) => [r.step, r.imageId, r.reviewAnswer, r.country])).toEqual([
      ['IDENTITY', null, null, 'USA'],
      ['IDENTITY', '1710542288', null, 'USA'],
    ]);
    expect(documentResults(null)).toEqual([]);
    expect(documentResults([1, 2])).toEqual([]);
  });
});

describe('review status', () => {
  it('reads Sumsub API times, which are not ISO 8601', () => {
    expect(parseSumsubTime('2024-03-18 06:46:20+0000')?.toISOString()).toBe('2024-03-18T06:46:20.000Z');
    expect(parseSumsubTime('2020-06-24 05:05:14')?.toISOString()).toBe('2020-06-24T05:05:14.000Z');
    expect(parseSumsubTime('2024-03-18 08:46:20+0200')?.toISOString()).toBe('2024-03-18T06:46:20.000Z');
    expect(parseSumsubTime('yesterday')).toBeUndefined();
  });

  it('takes the review time from reviewDate, else createDate', () => {
    const review = reviewOf({
      reviewId: 'anGLu',
      attemptId: 'MAnCa',
      createDate: '2024-03-18 06:46:20+0000',
      reviewDate: '2024-03-18 06:50:00+0000',
      reviewResult: { reviewAnswer: 'RED', rejectLabels: ['FRAUDULENT_PATTERNS'], reviewRejectType: 'FINAL' },
      reviewStatus: 'completed',
    });
    expect(review).toEqual(
      expect.objectContaining({ reviewId: 'anGLu', attemptId: 'MAnCa', reviewStatus: 'completed', at: new Date('2024-03-18T06:50:00Z') }),
    );
    const fresh = reviewOf({
      reviewId: 'WGTQN',
      levelName: 'basic-kyc-level',
      createDate: '2022-07-07 15:55:37+0000',
      reviewStatus: 'init',
    });
    expect(fresh?.at.toISOString()).toBe('2022-07-07T15:55:37.000Z');
    expect(reviewOf({ reviewStatus: 'pending' })).toBeUndefined();
  });
});
