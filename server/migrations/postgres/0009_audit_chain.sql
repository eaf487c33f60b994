-- Tamper evidence for the audit trail (access events and staff actions). A job seals the rows
-- that have settled, a batch at a time: each area's rows in the batch become one entry of that
-- area's chain, holding each row's id, time and a digest of its contents (`leaves`), their
-- Merkle root, and a hash over the entry and the hash of the entry before it. Retention adds
-- an entry saying what it deleted, so a pruned row is told apart from a deleted one. Area 0 is
-- the portal's own chain: events from no area's system, and the portal-wide retention ceiling.
-- See `server/src/audit/` and the README's "Tamper evidence".
CREATE TABLE audit_chain (
    area_id     BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('access_events','staff_actions','pruned_access_events')),
    first_id    BIGINT,
    last_id     BIGINT,
    row_count   BIGINT NOT NULL,
    leaves      BYTEA NOT NULL,
    root        TEXT NOT NULL,
    cutoff      TIMESTAMPTZ,
    at          TIMESTAMPTZ NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (area_id, seq)
);
-- A batch is sealed once: a second instance sealing the same rows finds its entries taken.
CREATE UNIQUE INDEX audit_chain_batch ON audit_chain(kind, first_id, area_id) WHERE first_id IS NOT NULL;
CREATE INDEX audit_chain_at ON audit_chain(area_id, at);

-- One row, updated by every change to the chain first: it serialises them (a row lock on
-- PostgreSQL, the write lock on SQLite taken at the start of the transaction).
CREATE TABLE audit_chain_lock (
    id  INTEGER PRIMARY KEY
);
INSERT INTO audit_chain_lock (id) VALUES (1);
