DROP TABLE job_runs;
DROP INDEX opinions_waiting;
DROP INDEX opinions_queue;
ALTER TABLE opinions DROP COLUMN release_by;
ALTER TABLE opinions DROP COLUMN released_on;
CREATE INDEX opinions_queue ON opinions(leading_group_id, received_on);
