-- Complaints and requests for a review are cases too (kind 'complaint', references CMP-…), with
-- their own stages: acknowledged, then upheld, partly upheld or not upheld. An objection a
-- complaint challenged can be reopened for a fresh decision by someone other than whoever
-- decided it first (`barred_subject`).
ALTER TABLE cases DROP CONSTRAINT cases_kind_check;
ALTER TABLE cases ADD CONSTRAINT cases_kind_check CHECK (kind IN ('objection','access_request','access_concern','complaint'));
ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check
    CHECK (status IN ('received','information_needed','acknowledged','upheld','partly_upheld','declined','not_upheld','explained','investigated','fulfilled','withdrawn'));
ALTER TABLE cases ADD COLUMN barred_subject TEXT;
