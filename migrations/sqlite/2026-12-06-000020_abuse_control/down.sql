ALTER TABLE responses DROP COLUMN held;
DROP TABLE appraisal_bursts;
DROP TABLE used_tokens;
DROP TABLE sign_in_throttle;
