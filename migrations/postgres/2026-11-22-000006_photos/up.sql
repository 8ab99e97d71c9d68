-- Photos attached to an opinion, re-encoded as metadata-free JPEGs before they are stored.
CREATE TABLE opinion_photos (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    jpeg BYTEA NOT NULL
);
CREATE UNIQUE INDEX opinion_photos_seq ON opinion_photos(opinion_id, seq);
