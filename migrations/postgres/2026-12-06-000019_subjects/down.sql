ALTER TABLE staff DROP COLUMN linked_on;
ALTER TABLE staff DROP COLUMN linked_by;
DROP TABLE subject_changes;
DROP INDEX opinions_subjects_derived;
ALTER TABLE opinions DROP COLUMN subjects_derived;
DROP TABLE opinion_subjects;
