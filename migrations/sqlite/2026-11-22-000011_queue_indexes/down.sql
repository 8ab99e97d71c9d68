DROP INDEX opinions_queue_order;
CREATE INDEX opinions_due ON opinions(leading_group_id, due_on);
DROP INDEX opinions_state;
