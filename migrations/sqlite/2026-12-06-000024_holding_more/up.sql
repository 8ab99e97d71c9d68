-- No arrival order at rest for everything else a resident's request writes (issue 17; 000021
-- did it for opinions). An appraisal response with its answers, a slip marked used, a spent
-- box-page token and a villager's reply to a released opinion wait in these holding tables,
-- read and counted live together with the released rows, until the maintenance job releases
-- their pool: when MASHANGSHUO_BATCH_SIZE rows wait in it or its deadline passes (`release_by`,
-- shared by the pool, on the hour as opinions' or the next fixed release time). The pool is
-- then written to its table in a fresh random order and deleted here in one transaction.
CREATE TABLE waiting_responses (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    change_hash TEXT NOT NULL UNIQUE,
    held BOOLEAN NOT NULL DEFAULT FALSE,
    release_by BIGINT NOT NULL
);
CREATE INDEX waiting_responses_round ON waiting_responses(round_id);
CREATE TABLE waiting_answers (
    response_id TEXT NOT NULL REFERENCES waiting_responses(id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    rating TEXT,
    text TEXT,
    PRIMARY KEY (response_id, subject_id, item_key)
);
-- Slips redeemed since the last release of the appraisal pool; `slips.used` is set for them
-- in shuffled order at release (an update in place on SQLite, a new heap tuple on PostgreSQL).
CREATE TABLE waiting_slips (
    code_hash TEXT PRIMARY KEY NOT NULL REFERENCES slips(code_hash) ON DELETE CASCADE
);
CREATE TABLE waiting_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    binding TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    release_by BIGINT NOT NULL
);
CREATE TABLE waiting_replies (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    seq INTEGER NOT NULL,
    release_by BIGINT NOT NULL
);
CREATE UNIQUE INDEX waiting_replies_thread ON waiting_replies(opinion_id, seq);

-- Rows stored before this in arrival order are written once more in random order (SQLite's
-- secure_delete overwrites the old ones).
CREATE TABLE reshuffle_responses AS SELECT * FROM responses ORDER BY random();
CREATE TABLE reshuffle_answers AS SELECT * FROM answers ORDER BY random();
DELETE FROM answers;
DELETE FROM responses;
INSERT INTO responses SELECT * FROM reshuffle_responses ORDER BY random();
INSERT INTO answers SELECT * FROM reshuffle_answers ORDER BY random();
DROP TABLE reshuffle_answers;
DROP TABLE reshuffle_responses;
CREATE TABLE reshuffle_tokens AS SELECT * FROM used_tokens ORDER BY random();
DELETE FROM used_tokens;
INSERT INTO used_tokens SELECT * FROM reshuffle_tokens ORDER BY random();
DROP TABLE reshuffle_tokens;
CREATE TABLE reshuffle_messages AS SELECT * FROM opinion_messages ORDER BY random();
DELETE FROM opinion_messages;
INSERT INTO opinion_messages SELECT * FROM reshuffle_messages ORDER BY random();
DROP TABLE reshuffle_messages;
CREATE TABLE reshuffle_slips AS SELECT * FROM slips ORDER BY random();
DELETE FROM slips;
INSERT INTO slips SELECT * FROM reshuffle_slips ORDER BY random();
DROP TABLE reshuffle_slips;
