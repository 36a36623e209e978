-- Deliveries of notifications to endpoints (the relay writes them; see packages/db/sql/03-notifications.sql).

-- CreateTable
CREATE TABLE "deliveries" (
    "id" BIGSERIAL NOT NULL,
    "notification_id" BIGINT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "last_status" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deliveries_applicant_id_endpoint_id_version_idx" ON "deliveries"("applicant_id", "endpoint_id", "version");

-- CreateIndex
CREATE INDEX "deliveries_status_endpoint_id_id_idx" ON "deliveries"("status", "endpoint_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_notification_id_endpoint_id_key" ON "deliveries"("notification_id", "endpoint_id");

