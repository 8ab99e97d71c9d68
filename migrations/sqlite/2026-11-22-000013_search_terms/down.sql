DROP INDEX opinions_unindexed;
ALTER TABLE opinions DROP COLUMN terms_indexed;
DROP TABLE opinion_terms;
