DROP TABLE leader_reviews;
ALTER TABLE people DROP COLUMN leader_rank;
