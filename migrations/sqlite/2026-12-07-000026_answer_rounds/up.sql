-- Each answer names its round, and the inbox's per-state summary reads an index alone (issue 20,
-- the province benchmark at 1 M opinions).
--
-- Answers are stored in random order (no arrival order at rest), so a round's answers lay on
-- as many pages as it has answers: its results read 13,500 scattered rows per pass. With the
-- round in the row, `answers_round` holds a round's rated answers side by side and the results
-- read them from the index alone. The tables are rebuilt (SQLite cannot add a NOT NULL column
-- without a default), again in random order.
CREATE TABLE answers_with_round (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    PRIMARY KEY (response_id, subject_id, item_key)
);
INSERT INTO answers_with_round
SELECT a.response_id, a.subject_id, a.item_key, a.rating, a.text, r.round_id
FROM answers a JOIN responses r ON r.id = a.response_id
ORDER BY random();
DROP TABLE answers;
ALTER TABLE answers_with_round RENAME TO answers;
CREATE INDEX answers_round ON answers(round_id, rating, subject_id, item_key, response_id);

CREATE TABLE waiting_answers_with_round (
    response_id TEXT NOT NULL REFERENCES waiting_responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    PRIMARY KEY (response_id, subject_id, item_key)
);
INSERT INTO waiting_answers_with_round
SELECT a.response_id, a.subject_id, a.item_key, a.rating, a.text, r.round_id
FROM waiting_answers a JOIN waiting_responses r ON r.id = a.response_id
ORDER BY random();
DROP TABLE waiting_answers;
ALTER TABLE waiting_answers_with_round RENAME TO waiting_answers;
CREATE INDEX waiting_answers_round ON waiting_answers(round_id);

-- A round's counted responses are counted from the index alone, and its held ones (待核, few)
-- are found without reading the others.
DROP INDEX responses_round;
CREATE INDEX responses_round ON responses(round_id, held);

-- The inbox sums a group's released opinions by state, box and target (`db/summary.rs`): with
-- every column it reads in this index it no longer fetches one scattered row per opinion
-- (55 ms at 13,500 opinions in one township, 1 M in all; 11–18 ms from the index).
CREATE INDEX opinions_summary ON opinions(
    leading_group_id, state, box_id, target_person_id, target_unit_id, released_on,
    subjects_derived
);
