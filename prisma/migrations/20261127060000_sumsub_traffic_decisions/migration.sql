-- Real Sumsub traffic (events without an applicant, raw bodies for re-verification,
-- reviewMode/applicantMemberOf), decisions and versions on the record, the
-- notification outbox and endpoints, erasure tombstones. The merge itself is not
-- here: packages/db/sql/*.sql holds it and is installed after the migrations.

-- AlterTable
ALTER TABLE "applicants" ADD COLUMN     "applicant_member_of" JSONB,
ADD COLUMN     "change_xid" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "decision" TEXT NOT NULL DEFAULT 'not_started',
ADD COLUMN     "decision_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_event_id" TEXT,
ADD COLUMN     "previous_decision" TEXT,
ADD COLUMN     "review_mode" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "version_event_id" TEXT;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "digest" TEXT,
ADD COLUMN     "digest_alg" TEXT,
ADD COLUMN     "kyt_data_txn_id" TEXT,
ADD COLUMN     "kyt_txn_id" TEXT,
ADD COLUMN     "raw_body" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'webhook',
ALTER COLUMN "applicant_id" DROP NOT NULL,
ALTER COLUMN "correlation_id" DROP NOT NULL,
ALTER COLUMN "payload" DROP NOT NULL;

-- CreateTable
CREATE TABLE "erasures" (
    "applicant_id" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erased_by" TEXT NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 0,
    "jobs" INTEGER NOT NULL DEFAULT 0,
    "late_deliveries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "erasures_pkey" PRIMARY KEY ("applicant_id")
);

-- CreateTable
CREATE TABLE "endpoints" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "include_client_comment" BOOLEAN NOT NULL DEFAULT false,
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_until" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "message_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_message_id_key" ON "notifications"("message_id");

-- CreateIndex
CREATE INDEX "notifications_relayed_at_id_idx" ON "notifications"("relayed_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_applicant_id_version_key" ON "notifications"("applicant_id", "version");

-- CreateIndex
CREATE INDEX "applicants_change_xid_applicant_id_idx" ON "applicants"("change_xid", "applicant_id");

-- CreateIndex
CREATE INDEX "applicants_decision_change_xid_idx" ON "applicants"("decision", "change_xid");

-- CreateIndex
CREATE INDEX "events_received_at_event_id_idx" ON "events"("received_at", "event_id");

-- CreateIndex
CREATE INDEX "events_type_received_at_idx" ON "events"("type", "received_at");


-- Records written before this migration: their decision (the same table as
-- kyc_decision in packages/db/sql/merge.sql), newest event id and change order.
UPDATE "applicants" SET
  "decision" = CASE
    WHEN "review_status" = 'completed' AND "has_review" AND "review_answer" = 'GREEN' THEN 'approved'
    WHEN "review_status" = 'completed' AND "has_review" AND "review_answer" = 'RED' AND "review_reject_type" = 'RETRY' THEN 'rejected_retry'
    WHEN "review_status" = 'completed' AND "has_review" AND "review_answer" = 'RED' THEN 'rejected_final'
    WHEN "review_status" = 'onHold' THEN 'on_hold'
    WHEN "review_status" IS NULL OR "review_status" = 'init' THEN 'not_started'
    ELSE 'pending'
  END,
  "last_event_id" = split_part("versions"->>'lastEvent', '|', 2),
  "change_xid" = pg_current_xact_id()::text::bigint;
