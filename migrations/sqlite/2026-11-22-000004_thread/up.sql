-- The anonymous follow-up thread of an opinion: questions from reviewers, answers from the
-- villager (through the receipt code). Only the day is kept; seq orders a thread's own messages.
CREATE TABLE opinion_messages (
    id TEXT PRIMARY KEY NOT NULL,
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    from_staff BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX opinion_messages_thread ON opinion_messages(opinion_id, seq);
