-- What each member organisation shares through an area's shared care record, and who can see
-- it: kept by the area's comms team, shown to patients on Your choices. Both lists are JSON
-- arrays of the portal's fixed words (see app/src/domain/sharing.rs). An organisation's entry
-- goes when the organisation leaves the area.
CREATE TABLE area_sharing (
    area_id     INTEGER NOT NULL,
    ods_code    TEXT NOT NULL,
    kinds       TEXT NOT NULL,
    seen_by     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (area_id, ods_code),
    FOREIGN KEY (area_id, ods_code) REFERENCES area_organisations(area_id, ods_code) ON DELETE CASCADE
);
