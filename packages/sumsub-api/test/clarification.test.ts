import { describe, expect, it } from 'vitest';
import { clarificationOf, clarificationPath } from '../src/index.ts';

// The documentation names imagesStates ("imageId and buttonId") and applicantState
// ("buttonId") without showing their nesting: each documented reading parses.
describe('moderationStates (clarify rejection reason)', () => {
  it('reads images keyed by image id, with buttonIds lists', () => {
    expect(
      clarificationOf({
        imagesStates: { '122352326': { imageId: 122352326, buttonIds: ['additionalPages_anotherSide', 'badPhoto_dataNotVisible'] } },
        applicantState: { buttonIds: ['badDocument_suspiciousDocument', 'badDocument'] },
      }),
    ).toEqual({
      applicantButtonIds: ['badDocument_suspiciousDocument', 'badDocument'],
      images: [{ imageId: '122352326', buttonIds: ['additionalPages_anotherSide', 'badPhoto_dataNotVisible'] }],
    });
  });

  it('reads a list of images with a single buttonId each, and a bare id for the applicant', () => {
    expect(
      clarificationOf({
        imagesStates: [
          { imageId: '1', buttonId: 'badPhoto_screenshot' },
          { imageId: 2, buttonId: ['selfie_blackAndWhite', 'selfie_blackAndWhite'] },
          { buttonId: 'no-image-id' },
        ],
        applicantState: { buttonId: 'dataMismatch_fullName' },
      }),
    ).toEqual({
      applicantButtonIds: ['dataMismatch_fullName'],
      images: [
        { imageId: '1', buttonIds: ['badPhoto_screenshot'] },
        { imageId: '2', buttonIds: ['selfie_blackAndWhite'] },
      ],
    });
  });

  it('reads a map of image id to a list of ids, and is empty when Sumsub sends nothing', () => {
    expect(clarificationOf({ imagesStates: { '7': ['fake_forgedId'] } }).images).toEqual([{ imageId: '7', buttonIds: ['fake_forgedId'] }]);
    expect(clarificationOf({})).toEqual({ applicantButtonIds: [], images: [] });
    expect(clarificationOf(null)).toEqual({ applicantButtonIds: [], images: [] });
    expect(clarificationOf({ imagesStates: 'nonsense', applicantState: 42 })).toEqual({ applicantButtonIds: [], images: [] });
  });

  it('builds the documented path with the applicant id encoded', () => {
    expect(clarificationPath('5cb56e8e0a975a35f333cb83')).toBe('/resources/moderationStates/-;applicantId=5cb56e8e0a975a35f333cb83');
    expect(clarificationPath('a/b c')).toBe('/resources/moderationStates/-;applicantId=a%2Fb%20c');
  });
});
