-- GP surgeries as a person knows them: by name, address and postcode, as well as by code.
-- `search_text` is the name, address and postcode as search words (lower case, letters and
-- digits, each wrapped in spaces: see app::domain::practice::search_text); the postcode's
-- district ("NS1") and area ("NS") find the surgeries near a postcode.
ALTER TABLE area_practices ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE area_practices ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE area_practices ADD COLUMN postcode_district TEXT NOT NULL DEFAULT '';
ALTER TABLE area_practices ADD COLUMN postcode_area TEXT NOT NULL DEFAULT '';
ALTER TABLE area_practices ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX area_practices_district ON area_practices(postcode_district);
CREATE INDEX area_practices_postcode_area ON area_practices(postcode_area);
-- Practices held before: found by their name's words until their details are next saved.
UPDATE area_practices SET search_text = ' ' || lower(replace(replace(name, '''', ''), '’', '')) || ' ';

-- How a patient reaches the area (its data protection officer): shown with its privacy notice,
-- beside the rights, and in the accessibility statement. Empty until an administrator sets it.
ALTER TABLE areas ADD COLUMN contact_address TEXT NOT NULL DEFAULT '';
ALTER TABLE areas ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE areas ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
