-- Word search: each opinion's text as terms (CJK character bigrams, lowercased Latin words and
-- numbers), so the queue's search reads an index instead of scanning every text.
CREATE TABLE opinion_terms (
    term TEXT NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    PRIMARY KEY (term, opinion_id)
);
CREATE INDEX opinion_terms_opinion ON opinion_terms(opinion_id);
-- Opinions stored before this migration are indexed by the maintenance job.
ALTER TABLE opinions ADD COLUMN terms_indexed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX opinions_unindexed ON opinions(id) WHERE terms_indexed = FALSE;
