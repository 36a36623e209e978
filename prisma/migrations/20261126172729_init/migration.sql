-- CreateEnum
CREATE TYPE "event_status" AS ENUM ('applied', 'failed');

-- CreateTable
CREATE TABLE "applicants" (
    "applicant_id" TEXT NOT NULL,
    "external_user_id" TEXT,
    "inspection_id" TEXT,
    "applicant_type" TEXT,
    "level_name" TEXT,
    "client_id" TEXT,
    "sandbox_mode" BOOLEAN,
    "review_status" TEXT,
    "review_answer" TEXT,
    "reject_labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "review_reject_type" TEXT,
    "button_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "moderation_comment" TEXT,
    "client_comment" TEXT,
    "has_review" BOOLEAN NOT NULL DEFAULT false,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "last_event_type" TEXT NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "versions" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applicants_pkey" PRIMARY KEY ("applicant_id")
);

-- CreateTable
CREATE TABLE "events" (
    "event_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "event_at" TIMESTAMPTZ(3) NOT NULL,
    "review_status" TEXT,
    "review_answer" TEXT,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" "event_status" NOT NULL,
    "last_error" TEXT,

    CONSTRAINT "events_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "events_applicant_id_event_at_idx" ON "events"("applicant_id", "event_at");

-- CreateIndex
CREATE INDEX "events_status_event_at_idx" ON "events"("status", "event_at");
