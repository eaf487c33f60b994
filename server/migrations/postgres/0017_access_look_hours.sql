-- The access log's summary line ("N looks at your record by M organisations since …") counted
-- every one of a patient's events on each page: 20,000 for a patient with a long stay. It now
-- reads these counts: looks by people that succeeded (not automated checks, not failed
-- attempts) per patient, UTC hour and organisation (its ODS code, or its name when it has
-- none). A background job adds each settled event here in the same transaction as it moves
-- access_look_progress past it, so events up to its last_event_id are counted here and later
-- ones are counted from the events themselves; retention subtracts what it deletes.
CREATE TABLE access_look_hours (
    nhs_number  TEXT COLLATE "C" NOT NULL,
    hour        TEXT COLLATE "C" NOT NULL,
    org_ods     TEXT COLLATE "C" NOT NULL,
    org_name    TEXT COLLATE "C" NOT NULL,
    looks       BIGINT NOT NULL,
    PRIMARY KEY (nhs_number, hour, org_ods, org_name)
);

CREATE TABLE access_look_progress (
    id              INTEGER PRIMARY KEY,
    last_event_id   BIGINT NOT NULL
);
INSERT INTO access_look_progress (id, last_event_id) SELECT 1, COALESCE(MAX(id), 0) FROM access_events;

INSERT INTO access_look_hours (nhs_number, hour, org_ods, org_name, looks)
    SELECT nhs_number, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'), COALESCE(org_ods, ''),
           CASE WHEN org_ods IS NULL THEN COALESCE(org_name, '') ELSE '' END, COUNT(*)
    FROM access_events
    WHERE automated = FALSE AND outcome = '0' AND id <= (SELECT last_event_id FROM access_look_progress WHERE id = 1)
    GROUP BY 1, 2, 3, 4;
