-- Sumsub's rejection clarification (GET /resources/moderationStates/-;applicantId=…)
-- for an applicant's RED review: button ids per document image and for the
-- applicant. The rule that stores it is kyc_store_clarification in
-- packages/db/sql/10-clarifications.sql; erasure removes it (05-lifecycle.sql).

-- CreateTable
CREATE TABLE "rejection_clarifications" (
    "applicant_id" TEXT NOT NULL,
    "review_key" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applicant_button_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "images" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "rejection_clarifications_pkey" PRIMARY KEY ("applicant_id")
);
