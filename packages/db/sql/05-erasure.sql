-- erasure.sql: erasing one person, and expiring payloads.
--
-- Erasure removes everything this database holds about an applicant (the record,
-- every event with its payload and raw body, document results and fetches, the
-- rejection clarification, notifications and their deliveries) and leaves a tombstone: the id, when, who,
-- and counts. kyc_apply_events and kyc_record_failure check the tombstone after
-- taking the applicant's lock, which erasure holds exclusively: no apply of the
-- same applicant can interleave, so nothing written around an erasure survives it.
--
-- Expiry (PAYLOAD_RETENTION_DAYS) strips payloads and raw bodies of old events,
-- keeping the audit skeleton (ids, type, times, status, review answer), and the
-- bodies of old notifications that have nothing left to deliver.

-- The advisory lock key of an applicant (a collision only makes two applicants wait for each other).
CREATE FUNCTION kyc_applicant_lock(applicant_id text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT hashtextextended(applicant_id, 7271003)
$$;

-- Erases one applicant; returns the tombstone's time, the events removed now with
-- their ids (an event's id is its queue job's id), and the ids of the deliveries
-- removed with their generations, in the same order (a delivery's jobs are named
-- by its id and each generation up to its last: the caller removes them). An id this database has
-- never seen (no record, no event, no tombstone) is not erased unless `force`
-- (a deletion ordered before the first event arrived): no row is returned and no
-- tombstone is written, so that person's events are not silently dropped later.
-- Erasing again is allowed (something may have arrived in Redis meanwhile): the
-- tombstone keeps its first time and actor and adds the counts.
CREATE FUNCTION kyc_erase_applicant(applicant text, actor text, force boolean)
RETURNS TABLE (erased_at timestamptz, events int, event_ids text[], delivery_ids text[], delivery_generations int[])
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  removed text[];
  deliveries_removed text[];
  generations int[];
BEGIN
  PERFORM pg_advisory_xact_lock(kyc_applicant_lock(applicant));
  IF NOT force
     AND NOT EXISTS (SELECT 1 FROM applicants a WHERE a.applicant_id = applicant)
     AND NOT EXISTS (SELECT 1 FROM events e WHERE e.applicant_id = applicant)
     AND NOT EXISTS (SELECT 1 FROM erasures er WHERE er.applicant_id = applicant) THEN
    RETURN;
  END IF;
  INSERT INTO erasures (applicant_id, erased_by) VALUES (applicant, actor) ON CONFLICT (applicant_id) DO NOTHING;
  WITH gone AS (DELETE FROM events e WHERE e.applicant_id = applicant RETURNING e.event_id)
  SELECT COALESCE(array_agg(g.event_id), '{}') INTO removed FROM gone g;
  WITH gone AS (DELETE FROM deliveries d WHERE d.applicant_id = applicant RETURNING d.id, d.generation)
  SELECT COALESCE(array_agg(g.id::text ORDER BY g.id), '{}'), COALESCE(array_agg(g.generation ORDER BY g.id), '{}')
    INTO deliveries_removed, generations FROM gone g;
  DELETE FROM notifications n WHERE n.applicant_id = applicant;
  DELETE FROM applicant_documents d WHERE d.applicant_id = applicant;
  DELETE FROM document_fetches f WHERE f.applicant_id = applicant;
  DELETE FROM rejection_clarifications c WHERE c.applicant_id = applicant;
  DELETE FROM applicants a WHERE a.applicant_id = applicant;
  -- Nothing is stored for it again (the tombstone), so its owner need not be kept either.
  DELETE FROM applicant_accounts o WHERE o.applicant_id = applicant;
  UPDATE erasures er SET events = er.events + cardinality(removed) WHERE er.applicant_id = applicant;
  RETURN QUERY SELECT er.erased_at, cardinality(removed), removed, deliveries_removed, generations
    FROM erasures er WHERE er.applicant_id = applicant;
END $$;

-- Strips up to max_rows events received before `horizon` (and old notification
-- bodies); returns how many of each. Run until it returns fewer than max_rows.
CREATE FUNCTION kyc_purge_payloads(horizon timestamptz, max_rows int) RETURNS TABLE (events int, notifications int)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  stripped int;
  emptied int;
BEGIN
  WITH old AS (
    SELECT e.event_id FROM events e
    WHERE e.received_at < horizon AND (e.payload IS NOT NULL OR e.raw_body IS NOT NULL)
    ORDER BY e.received_at LIMIT max_rows FOR UPDATE SKIP LOCKED
  )
  UPDATE events e SET payload = NULL, raw_body = NULL, digest = NULL, digest_alg = NULL FROM old WHERE e.event_id = old.event_id;
  GET DIAGNOSTICS stripped = ROW_COUNT;
  WITH old AS (
    SELECT n.id FROM notifications n
    WHERE n.created_at < horizon AND n.data IS NOT NULL AND n.relayed_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = n.id AND d.status = 'pending')
    ORDER BY n.id LIMIT max_rows FOR UPDATE SKIP LOCKED
  )
  UPDATE notifications n SET data = NULL FROM old WHERE n.id = old.id;
  GET DIAGNOSTICS emptied = ROW_COUNT;
  RETURN QUERY SELECT stripped, emptied;
END $$;
