-- Facts about the deployment that the server checks when it starts (issue 19). The first is
-- `secret_fingerprint`: a keyed hash of a fixed label under MASHANGSHUO_SECRET (never the
-- secret), so a server started with another secret refuses to run instead of failing every
-- receipt look-up and staff session.
CREATE TABLE deployment_facts (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
