-- A reviewer's declared conflict of interest: the opinion disappears from their every view.
CREATE TABLE recusals (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    PRIMARY KEY (opinion_id, staff_id)
);
CREATE INDEX recusals_staff ON recusals(staff_id);
