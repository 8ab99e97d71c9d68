-- Counts per state and state filters read this index alone.
CREATE INDEX opinions_state ON opinions(leading_group_id, state, released_on, id);
-- The queue order, which overdue filtering walks instead of sorting every overdue row; it
-- replaces the narrower queue index.
DROP INDEX opinions_due;
DROP INDEX opinions_queue;
CREATE INDEX opinions_queue_order ON opinions(leading_group_id, released_on, id);
-- Retention finds closed opinions across all groups with one range query per retention.
DROP INDEX opinions_closed;
CREATE INDEX opinions_closed ON opinions(closed_on);
