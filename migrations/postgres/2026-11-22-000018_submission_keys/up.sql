-- Idempotent submission: a phone that lost its connection sends the same opinion again with
-- the same random key and gets the same receipt, and the opinion is stored once. Only a keyed
-- hash of the key is kept, with the receipt sealed under a key derived from it (so only the
-- phone that holds the key can read it back), until the maintenance job deletes it. Nothing
-- links the row to the opinion.
CREATE TABLE submission_keys (
    key_hash TEXT PRIMARY KEY NOT NULL,
    sealed TEXT NOT NULL,
    expires_on TEXT NOT NULL
);
