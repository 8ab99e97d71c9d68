-- Ids are random UUIDs (text); no table has an autoincrement key, so nothing reveals insertion order.
CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE leading_groups (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL UNIQUE REFERENCES units(id),
    name TEXT NOT NULL
);

CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    leading_group_id TEXT REFERENCES leading_groups(id),
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE staff_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

CREATE TABLE boxes (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL
);

-- received_on holds only the day: the minute an opinion arrived is never written down.
CREATE TABLE opinions (
    id TEXT PRIMARY KEY NOT NULL,
    box_id TEXT NOT NULL REFERENCES boxes(id),
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    received_on TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE,
    reply TEXT,
    replied_on TEXT
);
CREATE INDEX opinions_queue ON opinions(leading_group_id, received_on);
