-- Batched release: an opinion waits (released_on NULL) until its group's batch is released.
-- release_by is the batch's deadline, rounded to the hour, and is cleared on release; after
-- that only the release day is left for reviewers to see.
ALTER TABLE opinions ADD COLUMN released_on TEXT;
ALTER TABLE opinions ADD COLUMN release_by BIGINT;
UPDATE opinions SET released_on = received_on;
DROP INDEX opinions_queue;
CREATE INDEX opinions_queue ON opinions(leading_group_id, released_on);
CREATE INDEX opinions_waiting ON opinions(release_by);

-- One row per background job; a server updates it first inside the job's transaction, which
-- serialises the job across servers sharing the database.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY NOT NULL,
    ran_at BIGINT NOT NULL
);
INSERT INTO job_runs (name, ran_at) VALUES ('maintenance', 0);
