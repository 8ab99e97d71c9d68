DROP INDEX opinions_closed;
CREATE INDEX opinions_closed ON opinions(leading_group_id, closed_on);
DROP INDEX opinions_queue_order;
CREATE INDEX opinions_queue ON opinions(leading_group_id, released_on);
CREATE INDEX opinions_due ON opinions(leading_group_id, due_on);
DROP INDEX opinions_state;
