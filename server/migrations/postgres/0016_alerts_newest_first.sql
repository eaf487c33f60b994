-- The monitoring queue's views that include reviewed alerts read an area's alerts newest first,
-- a slice at a time, until a page of people is full (rather than grouping every alert ever
-- raised to sort them): this index is that order.
CREATE INDEX alerts_newest ON alerts(area_id, raised_at, id);
