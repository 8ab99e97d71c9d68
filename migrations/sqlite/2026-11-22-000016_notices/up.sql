-- Public notices (通报): what a leading group chooses to publish on its township's public page.
-- A draft shows live figures to the group; publishing freezes them in `content`.
CREATE TABLE notices (
    id TEXT PRIMARY KEY NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    title TEXT NOT NULL,
    -- The group's own text.
    body TEXT NOT NULL,
    -- A finished round whose results are shown, if any.
    round_id TEXT REFERENCES rounds(id),
    -- The rectification ledger's period, if its figures are shown.
    ledger_from TEXT,
    ledger_to TEXT,
    -- The published figures (JSON), frozen when published; NULL for drafts.
    content TEXT,
    published_on TEXT,
    updated_on TEXT NOT NULL
);
CREATE INDEX notices_group ON notices(leading_group_id, published_on);
