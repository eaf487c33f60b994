-- /readyz writes here: an instance is ready only if the database takes writes (a full disk,
-- or a replica left read-only after a failover, answers reads but not writes).
CREATE TABLE readiness (
    id          INTEGER PRIMARY KEY,
    checked_at  TEXT NOT NULL
);
