-- Retention: each leading group keeps closed opinions this many days, then deletes them.
ALTER TABLE leading_groups ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 365;
-- The day an opinion was closed; retention counts from it.
ALTER TABLE opinions ADD COLUMN closed_on TEXT;
UPDATE opinions SET closed_on = COALESCE(replied_on, released_on, received_on) WHERE state = 'closed';
CREATE INDEX opinions_closed ON opinions(leading_group_id, closed_on);

-- What is left of deleted opinions: anonymous counts per village, category and release month.
CREATE TABLE opinion_tallies (
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    category TEXT NOT NULL,
    month TEXT NOT NULL,
    closed INTEGER NOT NULL,
    PRIMARY KEY (leading_group_id, unit_id, category, month)
);
