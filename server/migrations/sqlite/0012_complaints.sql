-- Complaints and requests for a review are cases too (kind 'complaint', references CMP-…), with
-- their own stages: acknowledged, then upheld, partly upheld or not upheld. An objection a
-- complaint challenged can be reopened for a fresh decision by someone other than whoever
-- decided it first (`barred_subject`).
--
-- SQLite cannot change a CHECK constraint, so the table is rebuilt. The migration runs inside a
-- transaction, where foreign keys cannot be switched off; dropping the old table would then
-- delete each case's timeline, effects, documents and messages (ON DELETE CASCADE), and fail
-- on the alerts that point at a case. So the rows that hang off a case are kept aside first
-- and put back, with the same ids, once the new table has the old one's name, and the alerts'
-- links are lifted and laid again. Every reference holds at every step, so no check is
-- deferred (SQLite counts deferred violations, and a rename would not settle the count).
CREATE TABLE cases_new (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    area_id             INTEGER NOT NULL REFERENCES areas(id),
    kind                TEXT NOT NULL CHECK (kind IN ('objection','access_request','access_concern','complaint')),
    status              TEXT NOT NULL CHECK (status IN ('received','information_needed','acknowledged','upheld','partly_upheld','declined','not_upheld','explained','investigated','fulfilled','withdrawn')),
    patient_subject     TEXT NOT NULL,
    patient_nhs_number  TEXT NOT NULL,
    patient_name        TEXT NOT NULL,
    patient_birth_date  TEXT,
    details             TEXT NOT NULL,
    contact             TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    due_on              TEXT,
    clock               TEXT NOT NULL,
    assignee            TEXT REFERENCES staff(subject) ON DELETE SET NULL,
    outcome             TEXT,
    idempotency_key     TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    barred_subject      TEXT,
    UNIQUE (patient_subject, idempotency_key)
);
INSERT INTO cases_new (id, reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
    patient_birth_date, details, contact, received_on, due_on, clock, assignee, outcome, idempotency_key, created_at, updated_at)
SELECT id, reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
    patient_birth_date, details, contact, received_on, due_on, clock, assignee, outcome, idempotency_key, created_at, updated_at
FROM cases;
CREATE TEMP TABLE keep_case_events AS SELECT * FROM case_events;
CREATE TEMP TABLE keep_objection_effects AS SELECT * FROM objection_effects;
CREATE TEMP TABLE keep_case_documents AS SELECT * FROM case_documents;
CREATE TEMP TABLE keep_outbox AS SELECT * FROM outbox;
CREATE TEMP TABLE keep_alert_cases AS SELECT id, case_id FROM alerts WHERE case_id IS NOT NULL;
UPDATE alerts SET case_id = NULL WHERE case_id IS NOT NULL;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
INSERT INTO case_events SELECT * FROM keep_case_events;
INSERT INTO objection_effects SELECT * FROM keep_objection_effects;
INSERT INTO case_documents SELECT * FROM keep_case_documents;
INSERT INTO outbox SELECT * FROM keep_outbox;
UPDATE alerts SET case_id = (SELECT k.case_id FROM keep_alert_cases k WHERE k.id = alerts.id) WHERE id IN (SELECT id FROM keep_alert_cases);
DROP TABLE keep_case_events;
DROP TABLE keep_objection_effects;
DROP TABLE keep_case_documents;
DROP TABLE keep_outbox;
DROP TABLE keep_alert_cases;
CREATE INDEX cases_patient ON cases(patient_subject, created_at);
CREATE INDEX cases_queue ON cases(area_id, status, due_on);
