-- Alerts when a patient's record is looked at. One choice per NHS number (the access log is the
-- patient's across every area): when to be told (an organisation's first look, an emergency
-- look), how (email or text) and the last UK day a message was queued, so that the rules' job
-- queues at most one a day, in the same transaction that checks the look (see
-- `server/src/db/monitoring.rs`).
CREATE TABLE record_alerts (
    id            INTEGER PRIMARY KEY,
    nhs_number    TEXT NOT NULL UNIQUE,
    subject       TEXT NOT NULL,
    first_look    BOOLEAN NOT NULL,
    emergency     BOOLEAN NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('email','text')),
    recipient     TEXT NOT NULL,
    chosen_at     TEXT NOT NULL,
    last_alert_on TEXT
);

-- An alert is a message with no case, so the outbox's `case_id` may now be empty and a message
-- may belong to a patient's alert choice instead. SQLite cannot drop NOT NULL, so the table is
-- rebuilt; nothing refers to the outbox, so its rows simply move across with their ids.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    record_alert_id INTEGER REFERENCES record_alerts(id) ON DELETE SET NULL,
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
    last_error      TEXT,
    claim_token     TEXT,
    prior_claim     TEXT
);
INSERT INTO outbox_new (id, case_id, channel, recipient, template, reference, created_at, attempts, next_attempt_at,
    claimed_until, sent_at, failed_at, provider_id, last_error, claim_token, prior_claim)
SELECT id, case_id, channel, recipient, template, reference, created_at, attempts, next_attempt_at,
    claimed_until, sent_at, failed_at, provider_id, last_error, claim_token, prior_claim
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_case ON outbox(case_id);
CREATE INDEX outbox_record_alert ON outbox(record_alert_id);
