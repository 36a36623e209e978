-- Document-level results read back from Sumsub's API (requiredIdDocsStatus) and
-- when they were fetched. The rule that stores them is kyc_store_documents in
-- packages/db/sql/04-documents.sql.

-- AlterTable
ALTER TABLE "applicants" ADD COLUMN     "documents_fetched_at" TIMESTAMPTZ(3),
ADD COLUMN     "documents_review_key" TEXT;

-- CreateTable
CREATE TABLE "applicant_documents" (
    "applicant_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "id_doc_type" TEXT,
    "country" TEXT,
    "image_id" TEXT,
    "review_answer" TEXT,
    "reject_labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "review_reject_type" TEXT,
    "moderation_comment" TEXT,
    "client_comment" TEXT,
    "button_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "applicant_documents_pkey" PRIMARY KEY ("applicant_id","position")
);

-- CreateTable
CREATE TABLE "document_fetches" (
    "id" BIGSERIAL NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "review_key" TEXT,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "documents" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "document_fetches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "document_fetches_applicant_id_fetched_at_idx" ON "document_fetches"("applicant_id", "fetched_at");
