-- Access transparency: the systems that send access events, their bearer tokens, and the
-- events themselves (one row per look at a patient's record), read newest first per patient.

CREATE TABLE event_sources (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                TEXT NOT NULL,
    client_id           TEXT NOT NULL UNIQUE,
    secret_hash         TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    revoked_at          TIMESTAMPTZ,
    first_event_at      TIMESTAMPTZ,
    latest_event_at     TIMESTAMPTZ
);

CREATE TABLE source_tokens (
    token_hash  TEXT PRIMARY KEY,
    source_id   BIGINT NOT NULL REFERENCES event_sources(id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE access_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id       BIGINT REFERENCES event_sources(id),
    source_event_id TEXT NOT NULL,
    nhs_number      TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    agent_name      TEXT NOT NULL,
    agent_id        TEXT,
    agent_role      TEXT,
    org_ods         TEXT,
    org_name        TEXT,
    purpose         TEXT NOT NULL,
    emergency       BOOLEAN NOT NULL,
    viewed          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    automated       BOOLEAN NOT NULL,
    observer        TEXT NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (source_id, source_event_id)
);
-- The patient's page: newest first, keyset paged on (recorded_at, id).
CREATE INDEX access_events_patient ON access_events(nhs_number, recorded_at DESC, id DESC);

-- Each area chooses whether patients see the names of the people who looked, or roles only,
-- and how many working days it has to answer a concern about an access.
ALTER TABLE areas ADD COLUMN show_staff_names BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE areas ADD COLUMN concern_working_days INTEGER NOT NULL DEFAULT 20;
