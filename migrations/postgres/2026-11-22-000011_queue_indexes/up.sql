-- Counts per state and state filters read this index alone.
CREATE INDEX opinions_state ON opinions(leading_group_id, state, released_on, id);
-- Overdue filtering walks the queue order instead of sorting every overdue row.
DROP INDEX opinions_due;
CREATE INDEX opinions_queue_order ON opinions(leading_group_id, released_on, id);
