DROP TABLE opinion_tallies;
DROP INDEX opinions_closed;
ALTER TABLE opinions DROP COLUMN closed_on;
ALTER TABLE leading_groups DROP COLUMN retention_days;
