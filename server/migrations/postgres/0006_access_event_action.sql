-- What each access event did (FHIR AuditEvent.action: C, R, U, D or E) and the RESTful
-- interaction, so that exports keep them and a patient reads "searched for" or "changed"
-- rather than always "looked at"; and a digest of the resource as sent, so that the same id
-- sent again with different content is answered as a conflict rather than "already held".
-- Events stored before this change keep NULL: the portal did not record what they did.
ALTER TABLE access_events ADD COLUMN action TEXT;
ALTER TABLE access_events ADD COLUMN subtype TEXT;
ALTER TABLE access_events ADD COLUMN content_hash TEXT;
