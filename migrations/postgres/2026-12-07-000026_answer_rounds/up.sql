-- Each answer names its round, and the inbox's per-state summary reads an index alone (issue 20,
-- the province benchmark at 1 M opinions).
--
-- Answers are stored in random order (no arrival order at rest), so a round's answers lay on
-- as many pages as it has answers: its results read 13,500 scattered rows per pass. With the
-- round in the row, `answers_round` holds a round's rated answers side by side and the results
-- read them from the index alone (an index-only scan once the job has vacuumed `answers`).
-- The update writes each row's new version in the table's present (random) order.
ALTER TABLE answers ADD COLUMN round_id TEXT REFERENCES rounds(id) ON DELETE CASCADE;
UPDATE answers SET round_id = r.round_id FROM responses r WHERE r.id = answers.response_id;
ALTER TABLE answers ALTER COLUMN round_id SET NOT NULL;
CREATE INDEX answers_round ON answers(round_id, rating, subject_id, item_key, response_id);

ALTER TABLE waiting_answers ADD COLUMN round_id TEXT REFERENCES rounds(id) ON DELETE CASCADE;
UPDATE waiting_answers SET round_id = r.round_id
FROM waiting_responses r WHERE r.id = waiting_answers.response_id;
ALTER TABLE waiting_answers ALTER COLUMN round_id SET NOT NULL;
CREATE INDEX waiting_answers_round ON waiting_answers(round_id);

-- A round's counted responses are counted from the index alone, and its held ones (待核, few)
-- are found without reading the others.
DROP INDEX responses_round;
CREATE INDEX responses_round ON responses(round_id, held);

-- The inbox sums a group's released opinions by state, box and target (`db/summary.rs`): with
-- every column it reads in this index it no longer fetches one scattered row per opinion.
CREATE INDEX opinions_summary ON opinions(
    leading_group_id, state, box_id, target_person_id, target_unit_id, released_on,
    subjects_derived
);
