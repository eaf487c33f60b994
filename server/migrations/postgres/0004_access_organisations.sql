-- Identifiers are compared byte by byte: the database's own collation (en_GB.UTF-8, say) sorts
-- words for people, and costs a locale-aware comparison at every step of every index insert.
ALTER TABLE access_events
    ALTER COLUMN source_event_id TYPE TEXT COLLATE "C",
    ALTER COLUMN nhs_number TYPE TEXT COLLATE "C",
    ALTER COLUMN org_ods TYPE TEXT COLLATE "C";

-- The organisations that have looked at each patient's record, for the access log's filter:
-- kept as events arrive, so the page reads a few rows instead of grouping every event.
CREATE TABLE access_event_organisations (
    nhs_number  TEXT COLLATE "C" NOT NULL,
    org_ods     TEXT COLLATE "C" NOT NULL,
    org_name    TEXT NOT NULL,
    PRIMARY KEY (nhs_number, org_ods)
);
INSERT INTO access_event_organisations (nhs_number, org_ods, org_name)
    SELECT nhs_number, org_ods, MAX(COALESCE(org_name, org_ods)) FROM access_events WHERE org_ods IS NOT NULL GROUP BY nhs_number, org_ods;
