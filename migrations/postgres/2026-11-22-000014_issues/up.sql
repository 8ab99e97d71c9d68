-- Merging (归纳整理): similar opinions become one issue (问题) handled as one, with its
-- rectification measures (整改措施) for the ledger (整改台账).
CREATE TABLE issues (
    id TEXT PRIMARY KEY NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    state TEXT NOT NULL,
    reply TEXT,
    replied_on TEXT,
    -- The day it was merged: the ledger's period counts issues by it.
    found_on TEXT NOT NULL,
    closed_on TEXT,
    -- Opinions merged in; kept when retention deletes them.
    opinion_count INTEGER NOT NULL
);
CREATE INDEX issues_group ON issues(leading_group_id, found_on);
ALTER TABLE opinions ADD COLUMN issue_id TEXT REFERENCES issues(id);
CREATE INDEX opinions_issue ON opinions(issue_id) WHERE issue_id IS NOT NULL;
CREATE TABLE measures (
    id TEXT PRIMARY KEY NOT NULL,
    issue_id TEXT NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    responsible TEXT NOT NULL,
    due_on TEXT NOT NULL,
    evidence TEXT,
    done_on TEXT,
    set_on TEXT NOT NULL
);
CREATE INDEX measures_issue ON measures(issue_id);
