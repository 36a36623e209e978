import type { DocumentResult } from './document-result.ts';

// GET /resources/applicants/{applicantId}/requiredIdDocsStatus ("Get status of
// verification steps", docs.sumsub.com/reference/get-applicant-verification-steps-status):
// root keys are step ids (IDENTITY, SELFIE, PROOF_OF_RESIDENCE, COMPANY…), each
// with an optional step `reviewResult`, `country`, `idDocType`, `imageIds` and
// `imageReviewResults` keyed by image id as a string. "Some steps may not have
// review results"; a step may be null or {} (unconfirmed), and fields Sumsub adds
// later are ignored. Parsing is tolerant: anything of an unexpected type is
// dropped, never fatal.

export type { DocumentResult };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function result(step: string, info: Json, imageId: string | null, review: Json): DocumentResult {
  return {
    step,
    idDocType: text(info.idDocType),
    country: text(info.country),
    imageId,
    reviewAnswer: text(review.reviewAnswer),
    rejectLabels: texts(review.rejectLabels),
    reviewRejectType: text(review.reviewRejectType),
    moderationComment: text(review.moderationComment),
    clientComment: text(review.clientComment),
    buttonIds: texts(review.buttonIds),
  };
}

/** The step and image results of a requiredIdDocsStatus answer, steps in the order given, images as listed. */
export function documentResults(body: unknown): DocumentResult[] {
  if (!isObject(body)) return [];
  const results: DocumentResult[] = [];
  for (const [step, info] of Object.entries(body)) {
    if (!isObject(info)) continue;
    // "if exists, that means that a document was uploaded"
    if (isObject(info.reviewResult)) results.push(result(step, info, null, info.reviewResult));
    const images = isObject(info.imageReviewResults) ? info.imageReviewResults : {};
    const listed = Array.isArray(info.imageIds) ? info.imageIds.map(String) : [];
    const ids = [...new Set([...listed, ...Object.keys(images)])];
    for (const imageId of ids) {
      const review = images[imageId];
      if (isObject(review)) results.push(result(step, info, imageId, review));
    }
  }
  return results;
}
