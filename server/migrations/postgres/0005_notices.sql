-- Publishing privacy notices: a change is drafted, reviewed by a second person of the area,
-- published at once or at a chosen time (by a job any instance may run), and every published
-- version is kept. Each area has a main notice and may publish easy-read and other-language
-- versions beside it (`variant`). Page views are counted per version per day, with nothing
-- about the reader stored.

ALTER TABLE notices ADD COLUMN variant TEXT NOT NULL DEFAULT 'main';
ALTER TABLE notices ADD COLUMN author_name TEXT;
ALTER TABLE notices ADD COLUMN approver_name TEXT;
ALTER TABLE notices ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE notices ADD COLUMN approved_at TIMESTAMPTZ;
ALTER TABLE notices DROP CONSTRAINT notices_area_id_version_key;
ALTER TABLE notices ADD CONSTRAINT notices_area_variant_version UNIQUE (area_id, variant, version);

CREATE TABLE notice_drafts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id          BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    variant          TEXT NOT NULL,
    title            TEXT NOT NULL,
    body_markdown    TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved','published','discarded')),
    author_subject   TEXT NOT NULL,
    author_name      TEXT NOT NULL,
    approver_subject TEXT,
    approver_name    TEXT,
    publish_at       TIMESTAMPTZ,
    submitted_at     TIMESTAMPTZ,
    approved_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    notice_id        BIGINT REFERENCES notices(id),
    CHECK (approver_subject IS NULL OR approver_subject <> author_subject)
);
-- One change on its way per notice at a time.
CREATE UNIQUE INDEX notice_drafts_open ON notice_drafts(area_id, variant)
    WHERE status IN ('draft','submitted','returned','approved');
CREATE INDEX notice_drafts_due ON notice_drafts(publish_at) WHERE status = 'approved';

-- The review trail: who submitted, returned (with comments), approved, published.
CREATE TABLE notice_reviews (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id      BIGINT NOT NULL REFERENCES notice_drafts(id) ON DELETE CASCADE,
    at            TIMESTAMPTZ NOT NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    comment       TEXT
);
CREATE INDEX notice_reviews_draft ON notice_reviews(draft_id, at);

CREATE TABLE notice_views (
    notice_id   BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    day         DATE NOT NULL,
    views       BIGINT NOT NULL,
    PRIMARY KEY (notice_id, day)
);

-- Engagement: events, consultations and "you said, we did" outcomes an area publishes. Items
-- can be scheduled and withdrawn; withdrawn items stay, for the evidence register.
CREATE TABLE engagement_items (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id           BIGINT NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('event','consultation','outcome')),
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    starts_at         TIMESTAMPTZ,
    ends_at           TIMESTAMPTZ,
    place             TEXT,
    online_url        TEXT,
    accessibility     TEXT,
    how_to_respond    TEXT,
    publish_at        TIMESTAMPTZ NOT NULL,
    withdrawn_at      TIMESTAMPTZ,
    withdrawn_reason  TEXT,
    created_by_name   TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX engagement_items_area ON engagement_items(area_id, publish_at);

-- Each area keeps the access events its own systems send for a period it chooses (within the
-- portal's ceiling, PORTAL_ACCESS_EVENT_RETENTION_MONTHS).
ALTER TABLE areas ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 96;
ALTER TABLE event_sources ADD COLUMN area_id BIGINT REFERENCES areas(id);
