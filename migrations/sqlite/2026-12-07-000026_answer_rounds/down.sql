DROP INDEX opinions_summary;
DROP INDEX responses_round;
CREATE INDEX responses_round ON responses(round_id);
DROP INDEX waiting_answers_round;
DROP INDEX answers_round;
CREATE TABLE answers_without_round (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    PRIMARY KEY (response_id, subject_id, item_key)
);
INSERT INTO answers_without_round
SELECT response_id, subject_id, item_key, rating, text FROM answers ORDER BY random();
DROP TABLE answers;
ALTER TABLE answers_without_round RENAME TO answers;
CREATE TABLE waiting_answers_without_round (
    response_id TEXT NOT NULL REFERENCES waiting_responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    PRIMARY KEY (response_id, subject_id, item_key)
);
INSERT INTO waiting_answers_without_round
SELECT response_id, subject_id, item_key, rating, text FROM waiting_answers ORDER BY random();
DROP TABLE waiting_answers;
ALTER TABLE waiting_answers_without_round RENAME TO waiting_answers;
