-- notifications.sql: from the outbox to the client's endpoints, in order.
--
-- kyc_apply_events (02-apply-events.sql) writes one `notifications` row per
-- notified change, in the transaction that made it. The relay turns committed
-- rows into `deliveries` (one per enabled endpoint) and the worker sends each
-- delivery as one BullMQ job. The rules here:
--
--   order     per endpoint and applicant, only the lowest pending version (the
--             "head") is queued; a delivery that ends (delivered, given up,
--             cancelled) hands over to the next version. A receiver sees each
--             applicant's versions in order.
--   hand-over the relay and a finishing delivery both compute heads under the
--             applicant's delivery lock (kyc_delivery_lock): whichever commits
--             second sees the other's work, so a new version is never left
--             unqueued behind one that just ended.
--   no loss   the relay marks rows relayed and creates deliveries in one
--             transaction; queuing happens after commit and may be lost with
--             its process, so kyc_pending_heads lets a sweep queue any head
--             again (a job id per delivery makes that idempotent).
--
-- Statuses of a delivery: pending, delivered, failed (given up: a dead letter,
-- replayable), cancelled (its endpoint was disabled or removed).

-- The advisory lock under which an applicant's delivery heads are computed.
CREATE FUNCTION kyc_delivery_lock(applicant_id text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT hashtextextended(applicant_id, 7271004)
$$;

-- Takes the delivery locks of these applicants, in a fixed order (no deadlocks).
CREATE FUNCTION kyc_lock_deliveries(applicant_ids text[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_advisory_xact_lock(kyc_delivery_lock(a)) FROM (SELECT DISTINCT unnest(applicant_ids) AS a ORDER BY 1) x
$$;

-- The head of every (endpoint, applicant) pair of the given applicants that has
-- a pending delivery (optionally of one endpoint), with the trace context of the
-- event that caused it (NULL unless tracing was on).
CREATE FUNCTION kyc_delivery_heads(applicant_ids text[], endpoint text DEFAULT NULL)
RETURNS TABLE (delivery_id bigint, generation int, trace_context text)
LANGUAGE sql STABLE AS $$
  SELECT DISTINCT ON (d.applicant_id, d.endpoint_id) d.id, d.generation,
    (SELECT n.trace_context FROM notifications n WHERE n.id = d.notification_id)
  FROM deliveries d
  WHERE d.applicant_id = ANY (applicant_ids) AND d.status = 'pending' AND (endpoint IS NULL OR d.endpoint_id = endpoint)
  ORDER BY d.applicant_id, d.endpoint_id, d.version
$$;

-- Moves up to max_rows committed outbox rows to deliveries and returns the heads
-- to queue. One relay runs at a time (an advisory lock; a second one returns
-- nothing): two relays taking versions 1 and 2 of one applicant could otherwise
-- commit version 2 first and queue it as a head.
CREATE FUNCTION kyc_relay_notifications(max_rows int) RETURNS TABLE (delivery_id bigint, generation int, trace_context text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  touched text[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(7271002) THEN
    RETURN;
  END IF;
  WITH taken AS (
    SELECT n.id FROM notifications n WHERE n.relayed_at IS NULL ORDER BY n.id LIMIT max_rows
  ), marked AS (
    UPDATE notifications n SET relayed_at = now() FROM taken t WHERE n.id = t.id
    RETURNING n.id, n.applicant_id, n.version, n.message_id
  ), created AS (
    INSERT INTO deliveries (notification_id, endpoint_id, applicant_id, version, message_id)
    SELECT m.id, e.id, m.applicant_id, m.version, m.message_id
    FROM marked m CROSS JOIN endpoints e
    WHERE e.enabled AND e.deleted_at IS NULL
    ORDER BY m.id, e.id
    ON CONFLICT (notification_id, endpoint_id) DO NOTHING
  )
  SELECT COALESCE(array_agg(DISTINCT m.applicant_id), '{}') INTO touched FROM marked m;
  PERFORM kyc_lock_deliveries(touched);
  RETURN QUERY SELECT * FROM kyc_delivery_heads(touched);
END $$;

-- Every head, oldest first: what a sweep queues again after a process died
-- between a commit and its queuing, or Redis lost the queue. Queuing a head
-- whose job exists changes nothing.
CREATE FUNCTION kyc_pending_heads(max_rows int) RETURNS TABLE (delivery_id bigint, generation int, trace_context text)
LANGUAGE sql STABLE AS $$
  SELECT h.id, h.generation, (SELECT n.trace_context FROM notifications n WHERE n.id = h.notification_id) FROM (
    SELECT DISTINCT ON (d.applicant_id, d.endpoint_id) d.id, d.generation, d.notification_id
    FROM deliveries d
    WHERE d.status = 'pending'
    ORDER BY d.applicant_id, d.endpoint_id, d.version
  ) h
  ORDER BY h.id
  LIMIT max_rows
$$;

-- A failed attempt that will be retried; whether the delivery was still pending.
CREATE FUNCTION kyc_record_attempt(id bigint, attempts int, http_status int, error text) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  UPDATE deliveries d SET attempts = kyc_record_attempt.attempts, last_status = http_status, last_error = left(error, 500)
  WHERE d.id = kyc_record_attempt.id AND d.status = 'pending'
  RETURNING true
$$;

-- Ends a pending delivery (delivered or failed) and returns the next head of its
-- endpoint and applicant. Ending one that already ended changes nothing but
-- still returns the next head: a job re-run after its process died between
-- this commit and queuing the next one hands over again.
CREATE FUNCTION kyc_finish_delivery(id bigint, outcome text, attempts int, http_status int, error text)
RETURNS TABLE (delivery_id bigint, generation int, trace_context text)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  d deliveries;
BEGIN
  IF outcome NOT IN ('delivered', 'failed') THEN
    RAISE EXCEPTION 'kyc_finish_delivery: outcome % is not delivered or failed', outcome;
  END IF;
  PERFORM kyc_lock_deliveries(ARRAY(SELECT x.applicant_id FROM deliveries x WHERE x.id = kyc_finish_delivery.id));
  UPDATE deliveries x SET status = outcome, attempts = kyc_finish_delivery.attempts, last_status = http_status,
    last_error = left(error, 500), finished_at = now()
  WHERE x.id = kyc_finish_delivery.id AND x.status = 'pending';
  SELECT * INTO d FROM deliveries x WHERE x.id = kyc_finish_delivery.id;
  IF d.id IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM kyc_delivery_heads(ARRAY[d.applicant_id], d.endpoint_id);
END $$;

-- Disables an endpoint (410 Gone from the receiver, or removal: `remove` also
-- marks it deleted and forgets its secrets) and cancels its pending deliveries.
-- Returns whether the endpoint existed (and was not removed before).
CREATE FUNCTION kyc_disable_endpoint(id text, reason text, remove boolean) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  existed boolean;
BEGIN
  UPDATE endpoints e SET enabled = false, disabled_reason = reason,
    deleted_at = CASE WHEN remove THEN now() ELSE e.deleted_at END,
    secret = CASE WHEN remove THEN '' ELSE e.secret END,
    previous_secret = CASE WHEN remove THEN NULL ELSE e.previous_secret END
  WHERE e.id = kyc_disable_endpoint.id AND e.deleted_at IS NULL;
  existed := FOUND;
  UPDATE deliveries d SET status = 'cancelled', finished_at = now(), last_error = left(reason, 500)
  WHERE d.endpoint_id = kyc_disable_endpoint.id AND d.status = 'pending';
  RETURN existed;
END $$;

-- Replay: given-up (failed) and cancelled deliveries of enabled endpoints that
-- match the filter become pending again under a new generation (a new job) and
-- the heads of their pairs are returned to queue. A replayed version may reach
-- the receiver after a newer one did; `version` in the message tells it so.
-- filter: {endpointId?, applicantId?, status? ('failed' | 'cancelled'), since?, until? (created at)}
CREATE FUNCTION kyc_replay_deliveries(filter jsonb, max_rows int) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  touched text[];
  replayed int;
BEGIN
  WITH chosen AS (
    SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
    WHERE e.enabled AND e.deleted_at IS NULL
      AND d.status = ANY (CASE WHEN filter ? 'status' THEN ARRAY[filter->>'status'] ELSE ARRAY['failed', 'cancelled'] END)
      AND (NOT filter ? 'endpointId' OR d.endpoint_id = filter->>'endpointId')
      AND (NOT filter ? 'applicantId' OR d.applicant_id = filter->>'applicantId')
      AND (NOT filter ? 'since' OR d.created_at >= (filter->>'since')::timestamptz)
      AND (NOT filter ? 'until' OR d.created_at < (filter->>'until')::timestamptz)
    ORDER BY d.id
    LIMIT max_rows
    FOR UPDATE OF d
  ), reset AS (
    UPDATE deliveries d SET status = 'pending', attempts = 0, generation = d.generation + 1, finished_at = NULL
    FROM chosen c WHERE d.id = c.id
    RETURNING d.applicant_id
  )
  SELECT count(*)::int, COALESCE(array_agg(DISTINCT r.applicant_id), '{}') INTO replayed, touched FROM reset r;
  PERFORM kyc_lock_deliveries(touched);
  RETURN jsonb_build_object(
    'replayed', replayed,
    'heads', COALESCE((SELECT jsonb_agg(jsonb_build_array(h.delivery_id::text, h.generation)) FROM kyc_delivery_heads(touched) h), '[]'));
END $$;
