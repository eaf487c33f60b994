-- The monitoring queue's rule filter asks, per alert read, whether the person has an alert
-- under the rule that is itself in view (its status, organisation and age). With these columns
-- in the index the question is answered from the index alone, without reading each of the
-- person's alerts under the rule.
DROP INDEX alerts_rule;
CREATE INDEX alerts_rule ON alerts(area_id, rule, person_key, status, org_ods, raised_at);
