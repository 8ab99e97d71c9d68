DROP TABLE measures;
DROP INDEX opinions_issue;
ALTER TABLE opinions DROP COLUMN issue_id;
DROP TABLE issues;
