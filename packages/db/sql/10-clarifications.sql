-- clarifications.sql: Sumsub's rejection clarification for a RED review
-- (moderationStates: button ids per document image and for the applicant).
--
-- The same rules as the document results (04-documents.sql): a clarification
-- belongs to a review (the order key of its event); one for an older review never
-- overwrites a newer one's; it shows on the record only while its review is the
-- visible one (a newer completed review, or a reset, hides it).

-- Stores one fetch (`applicant_buttons`: a JSON array of button ids; `images`: a
-- JSON array of {imageId, buttonIds}) for the review of `review_event` (NULL: the
-- review the record holds now, a manual refresh) and says what it did: stored |
-- older | no_review | no_applicant.
CREATE FUNCTION kyc_store_clarification(applicant text, review_event text, applicant_buttons jsonb, images jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  a applicants;
  key text;
  held text;
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
    RETURN 'no_review';
  END IF;
  SELECT c.review_key INTO held FROM rejection_clarifications c WHERE c.applicant_id = applicant;
  IF kyc_newer(held, key) THEN
    RETURN 'older';
  END IF;
  INSERT INTO rejection_clarifications (applicant_id, review_key, fetched_at, applicant_button_ids, images)
  VALUES (applicant, key, now(), kyc_text_array(applicant_buttons), images)
  ON CONFLICT (applicant_id) DO UPDATE
    SET review_key = EXCLUDED.review_key, fetched_at = EXCLUDED.fetched_at,
        applicant_button_ids = EXCLUDED.applicant_button_ids, images = EXCLUDED.images;
  RETURN 'stored';
END $$;

-- The clarification the record shows: the one of its visible review, else none.
CREATE FUNCTION kyc_visible_clarification(applicant text)
RETURNS TABLE (fetched_at timestamptz, applicant_button_ids text[], images jsonb)
LANGUAGE sql STABLE AS $$
  SELECT c.fetched_at, c.applicant_button_ids, c.images
  FROM applicants a JOIN rejection_clarifications c ON c.applicant_id = a.applicant_id
  WHERE a.applicant_id = applicant AND a.has_review AND c.review_key = a.versions->>'review'
$$;
