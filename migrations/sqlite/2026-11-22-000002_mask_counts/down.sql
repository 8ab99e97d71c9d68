ALTER TABLE opinions DROP COLUMN mask_counts;
