DROP INDEX opinions_due;
ALTER TABLE opinions DROP COLUMN due_on;
UPDATE opinions SET state = 'in_progress' WHERE state IN ('accepted', 'assigned', 'rectifying');
UPDATE opinions SET state = 'closed' WHERE state = 'rejected';
