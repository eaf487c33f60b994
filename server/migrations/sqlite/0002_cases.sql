-- Objections, subject access requests and access concerns are cases: one table, a timeline of
-- events, forms kept between their steps (whose keys make posts idempotent), the outbox of
-- messages to patients, the append-only record of staff actions, and bank holidays for deadlines.

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    area_id             INTEGER NOT NULL REFERENCES areas(id),
    kind                TEXT NOT NULL CHECK (kind IN ('objection','access_request','access_concern')),
    status              TEXT NOT NULL CHECK (status IN ('received','information_needed','upheld','partly_upheld','declined','explained','investigated','fulfilled','withdrawn')),
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
    UNIQUE (patient_subject, idempotency_key)
);
CREATE INDEX cases_patient ON cases(patient_subject, created_at);
CREATE INDEX cases_queue ON cases(area_id, status, due_on);

CREATE TABLE case_events (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL CHECK (actor IN ('patient','staff','system')),
    actor_subject   TEXT,
    actor_name      TEXT,
    kind            TEXT NOT NULL,
    public          BOOLEAN NOT NULL,
    text            TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- What an upheld objection means for each organisation that feeds the record, until each confirms.
CREATE TABLE objection_effects (
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    ods_code    TEXT NOT NULL,
    name        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    applied_at  TEXT,
    PRIMARY KEY (case_id, ods_code)
);

-- The reasons an area gives for its decisions, edited by the area's information governance lead.
CREATE TABLE decision_templates (
    id          INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    outcome     TEXT NOT NULL CHECK (outcome IN ('upheld','partly_upheld','declined')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX decision_templates_area ON decision_templates(area_id);

-- Documents added to a case by case workers, and the response bundle sent to the patient.
CREATE TABLE case_documents (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('evidence','response')),
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    content         BLOB NOT NULL,
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents(case_id);

CREATE TABLE form_drafts (
    key             TEXT PRIMARY KEY,
    owner_subject   TEXT NOT NULL,
    form            TEXT NOT NULL,
    answers         TEXT NOT NULL,
    errors          TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX form_drafts_age ON form_drafts(updated_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL CHECK (channel IN ('email','text','post')),
    recipient       TEXT NOT NULL,
    template        TEXT NOT NULL,
    reference       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    sent_at         TEXT,
    failed_at       TEXT,
    provider_id     TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_case ON outbox(case_id);

CREATE TABLE staff_actions (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_subject   TEXT NOT NULL,
    area_id         INTEGER NOT NULL,
    case_id         INTEGER,
    action          TEXT NOT NULL,
    detail          TEXT NOT NULL
);
CREATE INDEX staff_actions_case ON staff_actions(case_id);
CREATE TRIGGER staff_actions_no_update BEFORE UPDATE ON staff_actions
BEGIN SELECT RAISE(ABORT, 'staff_actions is append-only'); END;
CREATE TRIGGER staff_actions_no_delete BEFORE DELETE ON staff_actions
BEGIN SELECT RAISE(ABORT, 'staff_actions is append-only'); END;

CREATE TABLE bank_holidays (
    day     TEXT PRIMARY KEY,
    name    TEXT NOT NULL
);
-- England and Wales, as published for 2024 to 2028. Admins add later years as they are announced.
INSERT INTO bank_holidays (day, name) VALUES
    ('2024-01-01', 'New Year''s Day'),
    ('2024-03-29', 'Good Friday'),
    ('2024-04-01', 'Easter Monday'),
    ('2024-05-06', 'Early May bank holiday'),
    ('2024-05-27', 'Spring bank holiday'),
    ('2024-08-26', 'Summer bank holiday'),
    ('2024-12-25', 'Christmas Day'),
    ('2024-12-26', 'Boxing Day'),
    ('2025-01-01', 'New Year''s Day'),
    ('2025-04-18', 'Good Friday'),
    ('2025-04-21', 'Easter Monday'),
    ('2025-05-05', 'Early May bank holiday'),
    ('2025-05-26', 'Spring bank holiday'),
    ('2025-08-25', 'Summer bank holiday'),
    ('2025-12-25', 'Christmas Day'),
    ('2025-12-26', 'Boxing Day'),
    ('2026-01-01', 'New Year''s Day'),
    ('2026-04-03', 'Good Friday'),
    ('2026-04-06', 'Easter Monday'),
    ('2026-05-04', 'Early May bank holiday'),
    ('2026-05-25', 'Spring bank holiday'),
    ('2026-08-31', 'Summer bank holiday'),
    ('2026-12-25', 'Christmas Day'),
    ('2026-12-28', 'Boxing Day (substitute day)'),
    ('2027-01-01', 'New Year''s Day'),
    ('2027-03-26', 'Good Friday'),
    ('2027-03-29', 'Easter Monday'),
    ('2027-05-03', 'Early May bank holiday'),
    ('2027-05-31', 'Spring bank holiday'),
    ('2027-08-30', 'Summer bank holiday'),
    ('2027-12-27', 'Christmas Day (substitute day)'),
    ('2027-12-28', 'Boxing Day (substitute day)'),
    ('2028-01-03', 'New Year''s Day (substitute day)'),
    ('2028-04-14', 'Good Friday'),
    ('2028-04-17', 'Easter Monday'),
    ('2028-05-01', 'Early May bank holiday'),
    ('2028-05-29', 'Spring bank holiday'),
    ('2028-08-28', 'Summer bank holiday'),
    ('2028-12-25', 'Christmas Day'),
    ('2028-12-26', 'Boxing Day');
