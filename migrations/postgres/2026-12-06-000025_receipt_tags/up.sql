-- A short keyed tag of each receipt code (issue 20): a look-up of a code whose tag no opinion
-- has is answered "unknown" without an Argon2id run, so guessing receipts cannot starve the
-- hashing pool that villagers' submissions need. Opinions stored before have no tag until their
-- receipt is first looked up; while any is untagged, every look-up is hashed as before.
ALTER TABLE opinions ADD COLUMN receipt_tag BIGINT;
ALTER TABLE waiting_opinions ADD COLUMN receipt_tag BIGINT;
CREATE INDEX opinions_receipt_tag ON opinions(receipt_tag);
CREATE INDEX waiting_opinions_receipt_tag ON waiting_opinions(receipt_tag);
