DROP INDEX opinions_summary;
DROP INDEX responses_round;
CREATE INDEX responses_round ON responses(round_id);
DROP INDEX waiting_answers_round;
DROP INDEX answers_round;
ALTER TABLE waiting_answers DROP COLUMN round_id;
ALTER TABLE answers DROP COLUMN round_id;
