-- Mass appraisal (群众评议): editable questionnaires, rounds with their appraised units or
-- members, one-time slips and the answers. Nothing here records when or from where an answer came.
CREATE TABLE questionnaires (
    id TEXT PRIMARY KEY NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    title TEXT NOT NULL,
    -- organisation | member
    subject TEXT NOT NULL,
    -- The items in order, as JSON ([{key, text, kind, required}]).
    items TEXT NOT NULL,
    updated_on TEXT NOT NULL
);
CREATE INDEX questionnaires_group ON questionnaires(leading_group_id);
CREATE TABLE rounds (
    id TEXT PRIMARY KEY NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    name TEXT NOT NULL,
    -- The questionnaire as it was when the round opened (JSON), so later edits change nothing.
    questionnaire TEXT NOT NULL,
    -- open (a poster anyone can use) | slips (one-time codes)
    mode TEXT NOT NULL,
    -- Random code of the round's public form URL.
    public_code TEXT NOT NULL UNIQUE,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    -- Set when the group closes the round before its end day.
    closed_on TEXT,
    slips_issued INTEGER NOT NULL,
    created_on TEXT NOT NULL
);
CREATE INDEX rounds_group ON rounds(leading_group_id, opens_on);
CREATE TABLE round_subjects (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    -- A unit (organisation rounds) or a person (member rounds).
    subject_id TEXT NOT NULL,
    label TEXT NOT NULL,
    -- The unit, or the person's unit: its category feeds the statistics tables.
    unit_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- The group's 整改落实情况 for this subject.
    note TEXT,
    PRIMARY KEY (round_id, subject_id)
);
CREATE TABLE slips (
    -- Keyed hash of the code; the code itself is only ever on the printed slip.
    code_hash TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    used BOOLEAN NOT NULL
);
CREATE INDEX slips_round ON slips(round_id);
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    -- Keyed hash of the change key kept on the answering phone.
    change_hash TEXT NOT NULL UNIQUE
);
CREATE INDEX responses_round ON responses(round_id);
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    PRIMARY KEY (response_id, subject_id, item_key)
);
