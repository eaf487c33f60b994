-- Areas, their GP practices and member organisations, privacy notices, the staff directory,
-- sessions and OIDC sign-ins under way. Times are UTC.

CREATE TABLE areas (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE area_practices (
    ods_code    TEXT PRIMARY KEY,
    area_id     BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    name        TEXT NOT NULL
);
CREATE INDEX area_practices_area ON area_practices(area_id);

CREATE TABLE area_organisations (
    area_id     BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    ods_code    TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (area_id, ods_code)
);

CREATE TABLE notices (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id         BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    version         BIGINT NOT NULL,
    title           TEXT NOT NULL,
    body_markdown   TEXT NOT NULL,
    published_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (area_id, version)
);

CREATE TABLE staff (
    subject     TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff_roles (
    subject     TEXT NOT NULL REFERENCES staff(subject) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('comms_editor','comms_approver','case_worker','ig_lead','admin')),
    area_id     BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    PRIMARY KEY (subject, role, area_id)
);

CREATE TABLE sessions (
    id_hash             TEXT PRIMARY KEY,
    kind                TEXT NOT NULL,
    subject             TEXT NOT NULL,
    holder              TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    last_seen_at        TIMESTAMPTZ NOT NULL,
    idle_expires_at     TIMESTAMPTZ NOT NULL,
    idle_timeout_secs   BIGINT NOT NULL,
    absolute_expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_absolute_expiry ON sessions(absolute_expires_at);
CREATE INDEX sessions_idle_expiry ON sessions(idle_expires_at);

CREATE TABLE login_flows (
    state_hash      TEXT PRIMARY KEY,
    audience        TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    browser_hash    TEXT NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
