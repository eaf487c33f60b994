-- Privacy monitoring: rules over arriving access events raise alerts for the area's IG lead,
-- who reviews them person by person and may refer them to the person's employing organisation.

-- Each area's choice of rules and limits (JSON of `MonitoringSettings`; defaults when absent).
CREATE TABLE monitoring_settings (
    area_id     BIGINT PRIMARY KEY REFERENCES areas(id) ON DELETE CASCADE,
    settings    TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Records whose every access is reviewed (staff, public figures). Seen only by IG leads.
CREATE TABLE watch_list (
    area_id     BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    nhs_number  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (area_id, nhs_number)
);

-- How far the rules have got through the access events (one row). The rules apply to events
-- that arrive from now on, not to the history already held.
CREATE TABLE monitoring_progress (
    id              INTEGER PRIMARY KEY,
    last_event_id   BIGINT NOT NULL
);
INSERT INTO monitoring_progress (id, last_event_id) SELECT 1, COALESCE(MAX(id), 0) FROM access_events;

-- Which organisations have looked at which patients, as the rules have seen them (the first
-- access rule), starting from every pair already held.
CREATE TABLE monitoring_org_patients (
    org_ods     TEXT NOT NULL,
    nhs_number  TEXT NOT NULL,
    PRIMARY KEY (org_ods, nhs_number)
);
INSERT INTO monitoring_org_patients (org_ods, nhs_number) SELECT org_ods, nhs_number FROM access_event_organisations;

-- Each person's looks per UK day per patient, and whether any was for care (the volume and
-- repeated-look rules). Kept for a year at most.
CREATE TABLE monitoring_person_days (
    person_key  TEXT NOT NULL,
    day         DATE NOT NULL,
    nhs_number  TEXT NOT NULL,
    care        BOOLEAN NOT NULL,
    PRIMARY KEY (person_key, day, nhs_number)
);
CREATE INDEX monitoring_person_patient ON monitoring_person_days(person_key, nhs_number, day);
CREATE INDEX monitoring_person_days_day ON monitoring_person_days(day);

-- Referrals of a person's flagged accesses to their employing organisation's IG lead.
CREATE TABLE monitoring_referrals (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id         BIGINT NOT NULL REFERENCES areas(id),
    person_key      TEXT NOT NULL,
    person_name     TEXT NOT NULL,
    org_ods         TEXT NOT NULL,
    org_name        TEXT NOT NULL,
    contact         TEXT NOT NULL,
    due_on          DATE NOT NULL,
    note            TEXT NOT NULL,
    referred_by     TEXT NOT NULL,
    referred_at     TIMESTAMPTZ NOT NULL,
    outcome         TEXT CHECK (outcome IN ('confirmed','not_confirmed','inconclusive')),
    outcome_note    TEXT,
    outcome_by      TEXT,
    outcome_at      TIMESTAMPTZ,
    patient_told    TEXT CHECK (patient_told IN ('told','not_told')),
    patient_told_on DATE,
    patient_told_note TEXT
);
CREATE INDEX monitoring_referrals_area ON monitoring_referrals(area_id, outcome);

-- An access that met a rule. One per event and rule.
CREATE TABLE alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id     BIGINT NOT NULL REFERENCES areas(id),
    event_id    BIGINT NOT NULL,
    rule        TEXT NOT NULL,
    explanation TEXT NOT NULL,
    person_key  TEXT NOT NULL,
    person_name TEXT NOT NULL,
    person_role TEXT,
    org_ods     TEXT,
    org_name    TEXT,
    nhs_number  TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    purpose     TEXT NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL,
    case_id     BIGINT REFERENCES cases(id),
    case_reference TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open','appropriate','needs_information','inappropriate','referred')),
    reason      TEXT,
    reviewed_by TEXT,
    reviewed_at TIMESTAMPTZ,
    referral_id BIGINT REFERENCES monitoring_referrals(id),
    UNIQUE (event_id, rule)
);
-- The queue reads only alerts still waiting, grouped by person, organisation and rule: a
-- partial index holding all it needs, in that order, keeps it fast however many are reviewed.
CREATE INDEX alerts_waiting ON alerts(area_id, person_key, org_name, rule, raised_at, person_name, person_role, status)
    WHERE status IN ('open','needs_information');
CREATE INDEX alerts_rule ON alerts(area_id, rule, person_key);
CREATE INDEX alerts_person ON alerts(area_id, person_key, raised_at);
