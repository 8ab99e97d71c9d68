-- The statistics tables (附件1–3): each person's leader rank, and the leader reviews (领导点评)
-- a group records: who reviewed which organisation or member, in the year's first (by 30 June)
-- or second (by 31 December) pass.
ALTER TABLE people ADD COLUMN leader_rank TEXT;
CREATE TABLE leader_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    year INTEGER NOT NULL,
    -- 1 or 2
    pass INTEGER NOT NULL,
    reviewer_id TEXT NOT NULL REFERENCES people(id),
    -- unit | person
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    UNIQUE (year, pass, reviewer_id, subject_kind, subject_id)
);
CREATE INDEX leader_reviews_year ON leader_reviews(year, leading_group_id);
