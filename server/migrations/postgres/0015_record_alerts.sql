-- Alerts when a patient's record is looked at. One choice per NHS number (the access log is the
-- patient's across every area): when to be told (an organisation's first look, an emergency
-- look), how (email or text) and the last UK day a message was queued, so that the rules' job
-- queues at most one a day, in the same transaction that checks the look (see
-- `server/src/db/monitoring.rs`).
CREATE TABLE record_alerts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nhs_number    TEXT NOT NULL UNIQUE,
    subject       TEXT NOT NULL,
    first_look    BOOLEAN NOT NULL,
    emergency     BOOLEAN NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('email','text')),
    recipient     TEXT NOT NULL,
    chosen_at     TIMESTAMPTZ NOT NULL,
    last_alert_on DATE
);

-- An alert is a message with no case: the outbox's `case_id` may now be empty, and a message
-- may belong to a patient's alert choice instead.
ALTER TABLE outbox ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN record_alert_id BIGINT REFERENCES record_alerts(id) ON DELETE SET NULL;
CREATE INDEX outbox_record_alert ON outbox(record_alert_id);
