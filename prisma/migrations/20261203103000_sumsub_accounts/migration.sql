-- Several Sumsub accounts on one receiver (SUMSUB_ACCOUNTS). Ownership is decided in
-- kyc_apply_events (packages/db/sql/02-apply-events.sql); every record that exists now
-- was received through the single secret, so it belongs to the account `default`.

-- AlterEnum
ALTER TYPE "event_status" ADD VALUE 'wrong_account';

-- AlterTable
ALTER TABLE "applicants" ADD COLUMN     "account" TEXT NOT NULL DEFAULT 'default';

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "account" TEXT NOT NULL DEFAULT 'default';

-- CreateTable
CREATE TABLE "applicant_accounts" (
    "applicant_id" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_event_id" TEXT,

    CONSTRAINT "applicant_accounts_pkey" PRIMARY KEY ("applicant_id")
);

-- CreateIndex
CREATE INDEX "applicant_accounts_account_idx" ON "applicant_accounts"("account");

-- CreateIndex
CREATE INDEX "applicants_account_change_xid_idx" ON "applicants"("account", "change_xid");

-- CreateIndex
CREATE INDEX "events_account_received_at_idx" ON "events"("account", "received_at");


-- Existing records: the default account's.
INSERT INTO "applicant_accounts" ("applicant_id", "account", "claimed_at") SELECT "applicant_id", 'default', "created_at" FROM "applicants";
