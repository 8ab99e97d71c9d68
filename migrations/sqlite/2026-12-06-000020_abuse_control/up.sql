-- Abuse control (issue 17). None of these rows names a resident, an address or a submission.
--
-- Per-account sign-in delay, shared by every server process. Keyed by a keyed hash of the
-- sign-in name whether or not such an account exists, so the answers cannot tell them apart.
-- `blocked_until` is unix seconds (staff times may be stored).
CREATE TABLE sign_in_throttle (
    account_hash TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    blocked_until BIGINT NOT NULL
);
-- Box-page tokens already spent: a keyed hash of the token, a keyed hash binding it to the
-- submission key it was spent with (so resending the same submission still works; it matches
-- no other stored hash), and the day after which the maintenance job deletes the row.
-- Nothing links a row to an opinion.
CREATE TABLE used_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    binding TEXT NOT NULL,
    expires_on TEXT NOT NULL
);
-- Appraisal burst monitor: answers counted per poster round per coarse window (window number =
-- unix seconds / window length). Only the last couple of windows are kept.
CREATE TABLE appraisal_bursts (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    window_no BIGINT NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (round_id, window_no)
);
-- Answers set aside by the burst monitor (待核): not counted until a reviewer accepts them.
ALTER TABLE responses ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;
