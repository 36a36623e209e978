-- The trace context stored with the outbox row (issue: tracing): the relay and the
-- delivery continue the trace of the webhook that caused the change. Only a W3C
-- traceparent (ids and flags), never anything from the payload; NULL with tracing off.

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN "trace_context" TEXT;
