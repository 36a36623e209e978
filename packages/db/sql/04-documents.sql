-- documents.sql: document-level review results read back from Sumsub's API.
--
-- Sumsub: for a RED review "some images may also contain additional
-- document-specific comments"; GET requiredIdDocsStatus returns them. A fetch
-- belongs to a review (the order key of its event, as in the merge). The rules:
--
--   a fetch for an older review never overwrites the results of a newer one;
--   results show on the record only while their review is the visible one: a
--   newer completed review, or a newer applicantReset, hides them.

-- Whether an event is a completed RED review of the applicant: then Sumsub may
-- hold document-specific comments its webhook leaves out (the worker fetches them).
CREATE FUNCTION kyc_wants_documents(p jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT p->>'applicantId' IS NOT NULL AND kyc_describes_applicant(p->>'type') AND p->>'reviewStatus' = 'completed'
    AND p->'reviewResult'->>'reviewAnswer' = 'RED'
$$;

-- Whether the stored results belong to the applicant's visible review.
CREATE FUNCTION kyc_documents_visible(a applicants) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT a.has_review AND a.documents_review_key IS NOT NULL AND a.documents_review_key = a.versions->>'review'
$$;

-- Stores one fetch's results (a JSON array in Sumsub's order, fields as in
-- applicant_documents, camelCase) for the review of `review_event` (NULL: the
-- review the record holds now, a manual refresh), logs the fetch, and says what
-- it did: stored | older (the stored results belong to a newer review) |
-- no_review (the record holds no review to attach them to) | no_applicant.
CREATE FUNCTION kyc_store_documents(applicant text, review_event text, docs jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a applicants;
  key text;
  outcome text;
BEGIN
  SELECT * INTO a FROM applicants WHERE applicant_id = applicant FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 'no_applicant';
  END IF;
  IF review_event IS NULL THEN
    key := CASE WHEN a.has_review THEN a.versions->>'review' END;
  ELSE
    SELECT kyc_order_key(e.event_at, e.event_id) INTO key FROM events e WHERE e.event_id = review_event;
  END IF;
  IF key IS NULL THEN
    outcome := 'no_review';
  ELSIF kyc_newer(a.documents_review_key, key) THEN
    outcome := 'older';
  ELSE
    DELETE FROM applicant_documents d WHERE d.applicant_id = applicant;
    INSERT INTO applicant_documents (applicant_id, position, step, id_doc_type, country, image_id, review_answer, reject_labels,
      review_reject_type, moderation_comment, client_comment, button_ids)
    SELECT applicant, (x.ordinality - 1)::int, x.value->>'step', x.value->>'idDocType', x.value->>'country', x.value->>'imageId',
      x.value->>'reviewAnswer', kyc_text_array(x.value->'rejectLabels'), x.value->>'reviewRejectType', x.value->>'moderationComment',
      x.value->>'clientComment', kyc_text_array(x.value->'buttonIds')
    FROM jsonb_array_elements(docs) WITH ORDINALITY AS x(value, ordinality);
    UPDATE applicants SET documents_review_key = key, documents_fetched_at = now() WHERE applicant_id = applicant;
    outcome := 'stored';
  END IF;
  INSERT INTO document_fetches (applicant_id, review_key, documents, outcome) VALUES (applicant, key, jsonb_array_length(docs), outcome);
  RETURN outcome;
END $$;

-- When the field `field` was last set: the event time in its order key (NULL if never).
-- Reconciliation records Sumsub's review only when it is newer than this.
CREATE FUNCTION kyc_field_time(a applicants, field text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT NULLIF(split_part(a.versions->>field, '|', 1), '')::timestamptz
$$;
