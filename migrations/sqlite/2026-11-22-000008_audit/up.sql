-- Staff roles: admin, member (handles the group's queue), viewer (statistics), auditor (audit trail).
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'member';

-- The audit trail: a hash chain of staff actions (ids and action names, never opinion text).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- The chain's head; appends update it first, which serialises them across servers.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
