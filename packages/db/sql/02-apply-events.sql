-- apply-events.sql: recording events and folding them into their applicants.
--
-- kyc_apply_events(batch) records every event of a batch exactly once and merges
-- it into its applicant (01-merge.sql), writing a notification into the outbox
-- whenever the merge made a notified change, all in the caller's one
-- statement, so in one transaction: a change that rolls back notifies nobody.
--
-- Each element of `batch` (a JSON array) is
--   {event_id, event_at, received_at (ISO times), attempts, source, payload,
--    raw_body, digest, digest_alg, account, trace_context (a W3C traceparent, optional)}
-- and the result is one row per distinct event_id with its outcome (and whether
-- its document-level results are worth fetching, kyc_wants_documents):
--   applied        recorded now and merged (the applicant's newest event, or no applicant)
--   stale          recorded now and merged, but the applicant already had newer events
--   duplicate      already recorded as applied: nothing changed
--   erased         its applicant was erased: not stored, counted on the tombstone
--   wrong_account  recorded with that status, never merged: its applicant belongs
--                  to another Sumsub account
--
-- Ownership: an applicant belongs to the Sumsub account that first reported it
-- (`account`, the account whose secret verified the event; absent: `default`).
-- The batch claims its applicants in applicant_accounts before recording
-- anything; a claim racing another transaction's waits on its uncommitted row
-- and then finds it (ON CONFLICT DO NOTHING), and the next statement, with a
-- fresh snapshot, reads the owner that won. Within one batch, the earliest
-- received event (then event time, then id) claims. Events of another account
-- are recorded `wrong_account` and take no part in the merge, the outbox or the
-- document fetch: no signature of one account changes another's applicant.
--
-- Lock order, so concurrent batches never deadlock: each applicant's erasure lock
-- (shared; 05-erasure.sql takes it exclusively, so an erasure never interleaves
-- with an apply of the same applicant), then ownership claims by applicant_id,
-- then event rows by event_id, then applicant rows by applicant_id. Every applicant a batch touches is locked in
-- its first round; later rounds only revisit rows the transaction holds.
-- A multi-row upsert cannot touch one row twice, so several events of one
-- applicant are merged in successive rounds (the merge is commutative).

CREATE FUNCTION kyc_apply_events(batch jsonb) RETURNS TABLE (event_id text, outcome text, wants_documents boolean)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  fresh text[];
  misplaced text[];
  rounds int;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(kyc_applicant_lock(x.id))
  FROM (SELECT DISTINCT e->'payload'->>'applicantId' AS id FROM jsonb_array_elements(batch) e
        WHERE e->'payload'->>'applicantId' IS NOT NULL ORDER BY 1) x;

  -- Deliveries for an erased applicant are acknowledged upstream and counted here, never stored.
  UPDATE erasures er SET late_deliveries = er.late_deliveries + x.n
  FROM (SELECT e->'payload'->>'applicantId' AS id, count(*)::int AS n FROM jsonb_array_elements(batch) e GROUP BY 1) x
  WHERE er.applicant_id = x.id;

  -- An event applied once whose later run was dead-lettered (a replay that failed:
  -- status failed, processed_at kept) is not merged a second time: it is marked
  -- applied again and reported as a duplicate. Rows locked in event_id order.
  WITH relapsed AS (
    SELECT ev.event_id FROM events ev
    WHERE ev.event_id IN (SELECT e->>'event_id' FROM jsonb_array_elements(batch) e)
      AND ev.status = 'failed' AND ev.processed_at IS NOT NULL
    ORDER BY ev.event_id FOR UPDATE
  )
  UPDATE events ev SET status = 'applied', last_error = NULL, processed_at = now()
  FROM relapsed r WHERE ev.event_id = r.event_id;

  -- The first account to report an applicant owns it (see the header).
  INSERT INTO applicant_accounts AS o (applicant_id, account, first_event_id)
  SELECT DISTINCT ON (x.payload->>'applicantId') x.payload->>'applicantId', COALESCE(x.account, 'default'), x.event_id
  FROM jsonb_to_recordset(batch) AS x(event_id text, event_at timestamptz, received_at timestamptz, payload jsonb, account text)
  WHERE x.payload->>'applicantId' IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM erasures er WHERE er.applicant_id = x.payload->>'applicantId')
    -- Most events are of applicants already claimed: no insert attempt for them (a race still ends in the conflict).
    AND NOT EXISTS (SELECT 1 FROM applicant_accounts c WHERE c.applicant_id = x.payload->>'applicantId')
  ORDER BY x.payload->>'applicantId', x.received_at, x.event_at, x.event_id
  ON CONFLICT (applicant_id) DO NOTHING;

  WITH input AS (
    SELECT DISTINCT ON (x.event_id) x.*, COALESCE(x.account, 'default') AS via,
      CASE WHEN o.account IS DISTINCT FROM COALESCE(x.account, 'default') AND o.account IS NOT NULL
        THEN 'wrong_account' ELSE 'applied' END::event_status AS verdict
    FROM jsonb_to_recordset(batch) AS x(event_id text, event_at timestamptz, received_at timestamptz, attempts int, source text,
      payload jsonb, raw_body text, digest text, digest_alg text, account text)
    LEFT JOIN applicant_accounts o ON o.applicant_id = x.payload->>'applicantId'
    WHERE NOT EXISTS (SELECT 1 FROM erasures er WHERE er.applicant_id = x.payload->>'applicantId')
    ORDER BY x.event_id
  ), recorded AS (
    INSERT INTO events AS ev (event_id, applicant_id, type, correlation_id, kyt_txn_id, kyt_data_txn_id, event_at, review_status,
      review_answer, payload, raw_body, digest, digest_alg, source, received_at, processed_at, attempts, status, account)
    SELECT i.event_id, i.payload->>'applicantId', i.payload->>'type', i.payload->>'correlationId', i.payload->>'kytTxnId',
      i.payload->>'kytDataTxnId', i.event_at, i.payload->>'reviewStatus', i.payload->'reviewResult'->>'reviewAnswer', i.payload,
      i.raw_body, i.digest, i.digest_alg, COALESCE(i.source, 'webhook'), i.received_at, now(), i.attempts, i.verdict, i.via
    FROM input i
    ORDER BY i.event_id
    ON CONFLICT (event_id) DO UPDATE SET status = EXCLUDED.status, processed_at = now(), attempts = EXCLUDED.attempts, last_error = NULL,
      payload = EXCLUDED.payload, raw_body = EXCLUDED.raw_body, digest = EXCLUDED.digest, digest_alg = EXCLUDED.digest_alg
      WHERE ev.status <> 'applied'
    RETURNING ev.event_id, ev.status
  )
  SELECT COALESCE(array_agg(r.event_id) FILTER (WHERE r.status = 'applied'), '{}'),
    COALESCE(array_agg(r.event_id) FILTER (WHERE r.status = 'wrong_account'), '{}')
  INTO fresh, misplaced FROM recorded r;

  SELECT COALESCE(max(n), 0) INTO rounds FROM (
    SELECT count(DISTINCT e->>'event_id') AS n FROM jsonb_array_elements(batch) e
    WHERE e->>'event_id' = ANY (fresh) AND e->'payload'->>'applicantId' IS NOT NULL
    GROUP BY e->'payload'->>'applicantId'
  ) c;

  FOR r IN 1..rounds LOOP
    RETURN QUERY
    WITH input AS (
      SELECT DISTINCT ON (x.event_id) x.event_id, x.event_at, x.payload, COALESCE(x.account, 'default') AS account, x.trace_context
      FROM jsonb_to_recordset(batch) AS x(event_id text, event_at timestamptz, payload jsonb, account text, trace_context text)
      WHERE x.event_id = ANY (fresh) AND x.payload->>'applicantId' IS NOT NULL
    ), ranked AS (
      SELECT i.*, row_number() OVER (PARTITION BY i.payload->>'applicantId' ORDER BY i.event_id) AS rk FROM input i
    ), merged AS (
      INSERT INTO applicants AS a (applicant_id, external_user_id, inspection_id, applicant_type, level_name, client_id, sandbox_mode,
        review_status, review_mode, applicant_member_of, has_review, review_answer, reject_labels, review_reject_type, button_ids,
        moderation_comment, client_comment, event_count, last_event_type, last_event_at, last_event_id, versions, decision,
        previous_decision, decision_changed_at, version, version_event_id, change_xid, created_at, updated_at, account)
      SELECT m.applicant_id, m.external_user_id, m.inspection_id, m.applicant_type, m.level_name, m.client_id, m.sandbox_mode,
        m.review_status, m.review_mode, m.applicant_member_of, m.has_review, m.review_answer, m.reject_labels, m.review_reject_type,
        m.button_ids, m.moderation_comment, m.client_comment, m.event_count, m.last_event_type, m.last_event_at, m.last_event_id,
        m.versions, m.decision, m.previous_decision, m.decision_changed_at, m.version, m.version_event_id, m.change_xid,
        m.created_at, m.updated_at, rd.account
      FROM ranked rd CROSS JOIN LATERAL kyc_merge(NULL::applicants, kyc_event_state(rd.payload, rd.event_id, rd.event_at)) m
      WHERE rd.rk = r
      ORDER BY m.applicant_id
      ON CONFLICT (applicant_id) DO UPDATE SET (external_user_id, inspection_id, applicant_type, level_name, client_id, sandbox_mode,
        review_status, review_mode, applicant_member_of, has_review, review_answer, reject_labels, review_reject_type, button_ids,
        moderation_comment, client_comment, event_count, last_event_type, last_event_at, last_event_id, versions, decision,
        previous_decision, decision_changed_at, version, version_event_id, change_xid, updated_at) = (
        SELECT m.external_user_id, m.inspection_id, m.applicant_type, m.level_name, m.client_id, m.sandbox_mode,
          m.review_status, m.review_mode, m.applicant_member_of, m.has_review, m.review_answer, m.reject_labels, m.review_reject_type,
          m.button_ids, m.moderation_comment, m.client_comment, m.event_count, m.last_event_type, m.last_event_at, m.last_event_id,
          m.versions, m.decision, m.previous_decision, m.decision_changed_at, m.version, m.version_event_id, m.change_xid, m.updated_at
        FROM kyc_merge(a, EXCLUDED) m)
      RETURNING a.*
    ), notified AS (
      -- The outbox row: written only when someone listens (an endpoint exists), with the
      -- trace context of the event that made the change (its delivery continues that trace).
      INSERT INTO notifications (message_id, applicant_id, version, data, trace_context)
      SELECT 'msg_' || left(encode(sha256(convert_to(m.applicant_id || '|' || m.version, 'UTF8')), 'hex'), 32), m.applicant_id, m.version,
        kyc_notification_data(m::applicants), rd.trace_context
      FROM merged m JOIN ranked rd ON rd.event_id = m.version_event_id AND rd.rk = r
      WHERE EXISTS (SELECT 1 FROM endpoints WHERE enabled AND deleted_at IS NULL)
      ON CONFLICT (applicant_id, version) DO NOTHING
    )
    SELECT rd.event_id, CASE WHEN m.last_event_id = rd.event_id THEN 'applied' ELSE 'stale' END, kyc_wants_documents(rd.payload)
    FROM ranked rd JOIN merged m ON m.applicant_id = rd.payload->>'applicantId'
    WHERE rd.rk = r;
  END LOOP;

  RETURN QUERY
  SELECT DISTINCT x.event_id,
    CASE WHEN er.applicant_id IS NOT NULL THEN 'erased' WHEN x.event_id = ANY (misplaced) THEN 'wrong_account'
      WHEN x.event_id = ANY (fresh) THEN 'applied' ELSE 'duplicate' END,
    er.applicant_id IS NULL AND NOT x.event_id = ANY (misplaced) AND kyc_wants_documents(x.payload)
  FROM jsonb_to_recordset(batch) AS x(event_id text, payload jsonb)
  LEFT JOIN erasures er ON er.applicant_id = x.payload->>'applicantId'
  WHERE NOT (x.event_id = ANY (fresh) AND x.payload->>'applicantId' IS NOT NULL);
END $$;

-- What a notification says about a change (the Standard Webhooks message's
-- `data`, before an endpoint's clientComment opt-in is applied).
CREATE FUNCTION kyc_notification_data(m applicants) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'applicantId', m.applicant_id,
    'account', m.account,
    'externalUserId', m.external_user_id,
    'levelName', m.level_name,
    'decision', m.decision,
    'previousDecision', m.previous_decision,
    'reviewStatus', m.review_status,
    'review', CASE WHEN m.has_review THEN jsonb_build_object(
      'reviewAnswer', m.review_answer, 'rejectLabels', to_jsonb(m.reject_labels), 'reviewRejectType', m.review_reject_type,
      'buttonIds', to_jsonb(m.button_ids), 'moderationComment', m.moderation_comment, 'clientComment', m.client_comment) END,
    'version', m.version,
    'changedAt', to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;

-- Marks a dead-lettered event `failed` with its error, also one applied before
-- (a replay that failed): the database and the failed set in Redis tell the same
-- story. processed_at stays, so applying it again is a duplicate (see above).
-- Same element shape as kyc_apply_events. False when its applicant
-- was erased: nothing is stored (the caller removes the job too).
CREATE FUNCTION kyc_record_failure(e jsonb, error text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(kyc_applicant_lock(e->'payload'->>'applicantId')) WHERE e->'payload'->>'applicantId' IS NOT NULL;
  IF EXISTS (SELECT 1 FROM erasures er WHERE er.applicant_id = e->'payload'->>'applicantId') THEN
    RETURN false;
  END IF;
  INSERT INTO events AS ev (event_id, applicant_id, type, correlation_id, kyt_txn_id, kyt_data_txn_id, event_at, review_status,
    review_answer, payload, raw_body, digest, digest_alg, source, received_at, attempts, status, last_error, account)
  SELECT x.event_id, x.payload->>'applicantId', COALESCE(x.payload->>'type', 'unknown'), x.payload->>'correlationId',
    x.payload->>'kytTxnId', x.payload->>'kytDataTxnId', x.event_at, x.payload->>'reviewStatus',
    x.payload->'reviewResult'->>'reviewAnswer', x.payload, x.raw_body, x.digest, x.digest_alg, COALESCE(x.source, 'webhook'),
    x.received_at, x.attempts, 'failed', left(error, 2000), COALESCE(x.account, 'default')
  FROM jsonb_to_record(e) AS x(event_id text, event_at timestamptz, received_at timestamptz, attempts int, source text,
    payload jsonb, raw_body text, digest text, digest_alg text, account text)
  -- An event of another account's applicant was never applied: it keeps its verdict.
  ON CONFLICT (event_id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
    status = CASE WHEN ev.status = 'wrong_account' THEN ev.status ELSE 'failed'::event_status END;
  RETURN true;
END $$;

-- Marks a stored event `failed` when its own stored body no longer verifies (a
-- replay after its secret was retired and removed): the worker stores nothing
-- from a body it cannot verify, but this body is the one already stored, so the
-- database says what the failed set says. Matched on the stored raw body and
-- digest, never on the event id alone: a forged job naming a stored event's id
-- changes nothing. False when no such row (unknown, erased, or another body).
CREATE FUNCTION kyc_record_verification_failure(id text, body text, body_digest text, tries int, error text) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  WITH marked AS (
    UPDATE events ev SET attempts = tries, last_error = left(error, 2000),
      status = CASE WHEN ev.status = 'wrong_account' THEN ev.status ELSE 'failed'::event_status END
    WHERE ev.event_id = id AND ev.raw_body = body AND ev.digest = body_digest
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM marked)
$$;
