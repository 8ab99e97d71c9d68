-- Whom an opinion is about: every person its text names (matched against the directory), the
-- villager's choice, reviewers' tags and reviewers' own declared conflicts. Rows are only
-- added, except a wrong match removed by two members of the group (four eyes). An opinion is
-- shown to no reviewer until its subjects are derived, and never to a subject.
CREATE TABLE opinion_subjects (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    source TEXT NOT NULL,
    PRIMARY KEY (opinion_id, person_id, source)
);
CREATE INDEX opinion_subjects_person ON opinion_subjects(person_id, opinion_id);

ALTER TABLE opinions ADD COLUMN subjects_derived BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX opinions_subjects_derived ON opinions(subjects_derived);

INSERT INTO opinion_subjects (opinion_id, person_id, source)
SELECT id, target_person_id, 'chosen' FROM opinions WHERE target_person_id IS NOT NULL;

INSERT INTO opinion_subjects (opinion_id, person_id, source)
SELECT DISTINCT recusals.opinion_id, staff.person_id, 'declared'
FROM recusals INNER JOIN staff ON staff.id = recusals.staff_id
WHERE staff.person_id IS NOT NULL;

-- A change that could take an opinion out of a recusal waits for a second member's
-- confirmation: removing a wrongly matched subject. Days only, no finer time.
CREATE TABLE subject_changes (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    proposed_by TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    proposed_on TEXT NOT NULL
);
CREATE INDEX subject_changes_opinion ON subject_changes(opinion_id);

-- Who linked an account to its person, and on which day: shown to the account's group.
ALTER TABLE staff ADD COLUMN linked_by TEXT;
ALTER TABLE staff ADD COLUMN linked_on TEXT;
