/**
 * One verification-step result (imageId null) or the result of one image of the
 * step, as Sumsub's requiredIdDocsStatus reports it and the record stores and
 * shows it. Parsed by @kyc/sumsub-api, stored by @kyc/db, shown by the ingest.
 */
export type DocumentResult = {
  step: string;
  idDocType: string | null;
  country: string | null;
  imageId: string | null;
  reviewAnswer: string | null;
  rejectLabels: string[];
  reviewRejectType: string | null;
  moderationComment: string | null;
  /** Sumsub: for admin personnel only; never logged, never shown to the applicant. */
  clientComment: string | null;
  buttonIds: string[];
};
