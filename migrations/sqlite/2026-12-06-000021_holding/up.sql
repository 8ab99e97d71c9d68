-- No arrival order at rest (issue 17). An opinion waits for its batch in the holding tables;
-- at release its batch is written to `opinions` (and photos, thread, search terms, submission
-- keys to theirs) in shuffled order and deleted from the holding tables in one transaction, so
-- a copy of the database taken after a release shows no order within the batch. A waiting
-- opinion's submission key stays in its holding row (nothing else names it) until then.
CREATE TABLE waiting_opinions (
    id TEXT PRIMARY KEY NOT NULL,
    box_id TEXT NOT NULL REFERENCES boxes(id),
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    received_on TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE,
    mask_counts TEXT NOT NULL,
    contact_name TEXT,
    contact_phone TEXT,
    release_by BIGINT NOT NULL,
    target_person_id TEXT,
    target_unit_id TEXT,
    escalation TEXT,
    key_hash TEXT UNIQUE,
    key_sealed TEXT,
    key_expires_on TEXT,
    held BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX waiting_opinions_group ON waiting_opinions(leading_group_id, release_by);
CREATE TABLE waiting_photos (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES waiting_opinions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    jpeg BLOB NOT NULL
);
CREATE UNIQUE INDEX waiting_photos_seq ON waiting_photos(opinion_id, seq);
-- What the villager adds with the receipt code before the release (reviewers cannot ask yet).
CREATE TABLE waiting_messages (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES waiting_opinions(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX waiting_messages_thread ON waiting_messages(opinion_id, seq);

-- Opinions waiting now move to the holding tables with their photos and thread.
INSERT INTO waiting_opinions (id, box_id, leading_group_id, category, body, received_on,
    receipt_hash, mask_counts, contact_name, contact_phone, release_by, target_person_id,
    target_unit_id, escalation)
SELECT id, box_id, leading_group_id, category, body, received_on, receipt_hash, mask_counts,
    contact_name, contact_phone, COALESCE(release_by, 0), target_person_id, target_unit_id,
    escalation
FROM opinions WHERE released_on IS NULL;
INSERT INTO waiting_photos (id, opinion_id, seq, width, height, jpeg)
SELECT p.id, p.opinion_id, p.seq, p.width, p.height, p.jpeg
FROM opinion_photos p JOIN opinions o ON o.id = p.opinion_id WHERE o.released_on IS NULL;
INSERT INTO waiting_messages (id, opinion_id, body, sent_on, seq)
SELECT m.id, m.opinion_id, m.body, m.sent_on, m.seq
FROM opinion_messages m JOIN opinions o ON o.id = m.opinion_id
WHERE o.released_on IS NULL AND NOT m.from_staff;
DELETE FROM opinions WHERE released_on IS NULL;
DROP INDEX opinions_waiting;
-- The deadline is held by the holding table alone now.
UPDATE opinions SET release_by = NULL;

-- Per-box budget (issue 17): opinions counted per box and hour (the hour's start, Unix
-- seconds), shared by every server; nothing links a count to an opinion. The maintenance job
-- deletes hours older than the last two.
CREATE TABLE box_hour_counts (
    box_id TEXT NOT NULL REFERENCES boxes(id) ON DELETE CASCADE,
    hour BIGINT NOT NULL,
    opinions INTEGER NOT NULL,
    PRIMARY KEY (box_id, hour)
);
-- An opinion beyond its box's hourly budget is held (待核): released with its batch but kept
-- out of the queue, counts and statistics (released_on stays NULL) until a reviewer accepts it.
ALTER TABLE opinions ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX opinions_held ON opinions(leading_group_id) WHERE held;
