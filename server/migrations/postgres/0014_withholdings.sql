-- What a case worker withheld from a response to a request for a copy, and why: the item
-- (`document:12`, `access:345` or `passage`), where a passage was, the exemption, the note, who
-- and when. Kept with the case; the patient is told the grounds, never the item.
CREATE TABLE case_withholdings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    item         TEXT NOT NULL,
    passage      TEXT,
    exemption    TEXT NOT NULL CHECK (exemption IN ('third_party','serious_harm','legal_privilege','crime_taxation','other')),
    note         TEXT NOT NULL,
    withheld_by  TEXT NOT NULL,
    withheld_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_withholdings_case ON case_withholdings(case_id);
