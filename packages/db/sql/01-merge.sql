-- merge.sql: the applicant merge. This file is the one statement of its rules.
--
-- An applicant record is a pure function of the *set* of distinct events applied
-- to it. Every field is a last-writer-wins register: `versions` remembers the
-- order key of the event that set each field, and only an event with a newer
-- key overwrites it. Merging is therefore commutative and idempotent, so
-- duplicates, late and shuffled deliveries all end in the same record.
--
-- TypeScript passes each event's payload, id and time (apply-events.sql) and
-- decides nothing. The oracle these rules are held to by the property tests is
-- packages/test-support/src/reference-model.ts.
--
-- Installed after the migrations by packages/db/src/sql-functions.ts, which
-- re-creates every kyc_* function whenever a file in this folder changes.

-- The total order of events: event time (UTC, milliseconds), then event id, as
-- text that sorts bytewise (compare with COLLATE "C").
CREATE FUNCTION kyc_order_key(event_at timestamptz, event_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || event_id
$$;

-- A candidate key is newer than the current one (absent keys are older than any).
CREATE FUNCTION kyc_newer(candidate text, current_key text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT candidate IS NOT NULL AND (current_key IS NULL OR (candidate COLLATE "C") > current_key)
$$;

-- Whether an event's identity, status and review fields describe the applicant.
-- Every type does (so a type Sumsub adds next year updates the record), except
-- the families whose review fields describe something else: applicantAction*
-- (an applicant action, with its own level and review), applicantKyt* (a
-- transaction), kytCase* and amlCase* (a case). docs/sumsub-events.md cites why.
CREATE FUNCTION kyc_describes_applicant(event_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT NOT (event_type LIKE 'applicantAction%' OR event_type LIKE 'applicantKyt%'
    OR event_type LIKE 'kytCase%' OR event_type LIKE 'amlCase%')
$$;

-- The decision a client acts on, from the record alone (so it is as
-- order-independent as the record). The table is in the README.
CREATE FUNCTION kyc_decision(review_status text, has_review boolean, review_answer text, review_reject_type text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN review_status = 'completed' AND has_review AND review_answer = 'GREEN' THEN 'approved'
    WHEN review_status = 'completed' AND has_review AND review_answer = 'RED' AND review_reject_type = 'RETRY' THEN 'rejected_retry'
    WHEN review_status = 'completed' AND has_review AND review_answer = 'RED' THEN 'rejected_final'
    WHEN review_status = 'onHold' THEN 'on_hold'
    WHEN review_status IS NULL OR review_status = 'init' THEN 'not_started'
    ELSE 'pending'
  END
$$;

-- A JSON array of strings as text[]; anything else (absent, null) as empty.
CREATE FUNCTION kyc_text_array(value jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(value)) ELSE '{}'::text[] END
$$;

-- One event folded from nothing: the fields it carries, each with the event's
-- order key in `versions`. Explicit JSON nulls carry nothing.
CREATE FUNCTION kyc_event_state(p jsonb, event_id text, event_at timestamptz) RETURNS applicants
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  s applicants;
  k text := kyc_order_key(event_at, event_id);
  r jsonb := p->'reviewResult';
BEGIN
  s.applicant_id := p->>'applicantId';
  s.last_event_type := p->>'type';
  s.last_event_at := event_at;
  s.last_event_id := event_id;
  s.event_count := 1;
  s.has_review := false;
  s.reject_labels := '{}';
  s.button_ids := '{}';
  s.versions := jsonb_build_object('lastEvent', k);
  IF NOT kyc_describes_applicant(p->>'type') THEN
    RETURN s;
  END IF;
  s.external_user_id := p->>'externalUserId';
  s.inspection_id := p->>'inspectionId';
  s.applicant_type := p->>'applicantType';
  s.level_name := p->>'levelName';
  s.client_id := p->>'clientId';
  -- Sumsub's own examples send sandboxMode as "false" (a string) too.
  s.sandbox_mode := CASE p->>'sandboxMode' WHEN 'true' THEN true WHEN 'false' THEN false END;
  s.review_status := p->>'reviewStatus';
  s.review_mode := p->>'reviewMode';
  s.applicant_member_of := NULLIF(p->'applicantMemberOf', 'null'::jsonb);
  s.versions := s.versions || jsonb_strip_nulls(jsonb_build_object(
    'externalUserId', CASE WHEN s.external_user_id IS NOT NULL THEN k END,
    'inspectionId', CASE WHEN s.inspection_id IS NOT NULL THEN k END,
    'applicantType', CASE WHEN s.applicant_type IS NOT NULL THEN k END,
    'levelName', CASE WHEN s.level_name IS NOT NULL THEN k END,
    'clientId', CASE WHEN s.client_id IS NOT NULL THEN k END,
    'sandboxMode', CASE WHEN s.sandbox_mode IS NOT NULL THEN k END,
    'reviewStatus', CASE WHEN s.review_status IS NOT NULL THEN k END,
    'reviewMode', CASE WHEN s.review_mode IS NOT NULL THEN k END,
    'applicantMemberOf', CASE WHEN s.applicant_member_of IS NOT NULL THEN k END));
  -- "reviewAnswer affects the applicant only when reviewStatus: completed" (Sumsub,
  -- get-applicant-review-status): a RED on a pending event is not the review.
  IF s.review_status = 'completed' AND jsonb_typeof(r) = 'object' THEN
    s.has_review := true;
    s.review_answer := r->>'reviewAnswer';
    s.reject_labels := kyc_text_array(r->'rejectLabels');
    s.review_reject_type := r->>'reviewRejectType';
    s.button_ids := kyc_text_array(r->'buttonIds');
    s.moderation_comment := r->>'moderationComment';
    s.client_comment := r->>'clientComment';
    s.versions := s.versions || jsonb_build_object('review', k);
  END IF;
  -- A reset sets the applicant back to init and hides every review older than it
  -- (an event's own review survives its own reset: the keys are equal).
  IF p->>'type' = 'applicantReset' THEN
    s.versions := s.versions || jsonb_build_object('reset', k);
  END IF;
  RETURN s;
END $$;

-- Merges the stored record `a` (NULL for a new applicant) with `e`, one event
-- folded from nothing. Field by field the newer key wins; the review's
-- visibility, the decision and the version then follow from the merged fields.
-- PostgreSQL runs this under the row's lock against its latest committed version
-- (ON CONFLICT DO UPDATE), so concurrent merges lose nothing.
CREATE FUNCTION kyc_merge(a applicants, e applicants) RETURNS applicants
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  m applicants := a;
  old jsonb;
  review_key text;
  reset_key text;
  review_changed boolean;
BEGIN
  IF a.applicant_id IS NULL THEN
    m.applicant_id := e.applicant_id;
    m.versions := '{}';
    m.has_review := false;
    m.reject_labels := '{}';
    m.button_ids := '{}';
    m.event_count := 0;
    m.decision := 'not_started';
    m.version := 0;
    m.created_at := now();
  END IF;
  old := m.versions;
  IF kyc_newer(e.versions->>'externalUserId', old->>'externalUserId') THEN m.external_user_id := e.external_user_id; END IF;
  IF kyc_newer(e.versions->>'inspectionId', old->>'inspectionId') THEN m.inspection_id := e.inspection_id; END IF;
  IF kyc_newer(e.versions->>'applicantType', old->>'applicantType') THEN m.applicant_type := e.applicant_type; END IF;
  IF kyc_newer(e.versions->>'levelName', old->>'levelName') THEN m.level_name := e.level_name; END IF;
  IF kyc_newer(e.versions->>'clientId', old->>'clientId') THEN m.client_id := e.client_id; END IF;
  IF kyc_newer(e.versions->>'sandboxMode', old->>'sandboxMode') THEN m.sandbox_mode := e.sandbox_mode; END IF;
  IF kyc_newer(e.versions->>'reviewStatus', old->>'reviewStatus') THEN m.review_status := e.review_status; END IF;
  IF kyc_newer(e.versions->>'reviewMode', old->>'reviewMode') THEN m.review_mode := e.review_mode; END IF;
  IF kyc_newer(e.versions->>'applicantMemberOf', old->>'applicantMemberOf') THEN m.applicant_member_of := e.applicant_member_of; END IF;
  IF kyc_newer(e.versions->>'lastEvent', old->>'lastEvent') THEN
    m.last_event_type := e.last_event_type;
    m.last_event_at := e.last_event_at;
    m.last_event_id := e.last_event_id;
  END IF;
  -- Only a newer review brings content; a hidden review therefore need not be kept.
  IF kyc_newer(e.versions->>'review', old->>'review') THEN
    m.review_answer := e.review_answer;
    m.reject_labels := e.reject_labels;
    m.review_reject_type := e.review_reject_type;
    m.button_ids := e.button_ids;
    m.moderation_comment := e.moderation_comment;
    m.client_comment := e.client_comment;
  END IF;
  m.versions := (
    SELECT jsonb_object_agg(key, newest) FROM (
      SELECT key, max(value COLLATE "C") AS newest
      FROM (SELECT * FROM jsonb_each_text(old) UNION ALL SELECT * FROM jsonb_each_text(e.versions)) v(key, value)
      GROUP BY key) g
  );
  review_key := m.versions->>'review';
  reset_key := m.versions->>'reset';
  m.has_review := review_key IS NOT NULL AND (reset_key IS NULL OR (review_key COLLATE "C") >= reset_key);
  IF NOT m.has_review THEN
    m.review_answer := NULL;
    m.reject_labels := '{}';
    m.review_reject_type := NULL;
    m.button_ids := '{}';
    m.moderation_comment := NULL;
    m.client_comment := NULL;
  END IF;
  m.event_count := m.event_count + e.event_count;
  m.updated_at := now();
  m.change_xid := pg_current_xact_id()::text::bigint;
  m.decision := kyc_decision(m.review_status, m.has_review, m.review_answer, m.review_reject_type);
  -- A notified change: the decision, or the visible review under the same decision.
  review_changed := (m.has_review, m.review_answer, m.reject_labels, m.review_reject_type, m.button_ids, m.moderation_comment, m.client_comment)
    IS DISTINCT FROM (COALESCE(a.has_review, false), a.review_answer, COALESCE(a.reject_labels, '{}'), a.review_reject_type,
      COALESCE(a.button_ids, '{}'), a.moderation_comment, a.client_comment);
  IF m.decision IS DISTINCT FROM COALESCE(a.decision, 'not_started') OR review_changed THEN
    m.version := COALESCE(a.version, 0) + 1;
    m.version_event_id := e.last_event_id;
    m.previous_decision := COALESCE(a.decision, 'not_started');
    IF m.decision IS DISTINCT FROM m.previous_decision THEN
      m.decision_changed_at := now();
    END IF;
  END IF;
  RETURN m;
END $$;
