-- The organisation tree: unit categories from the statistics forms, the people who can be
-- named in opinions, group heads, accounts linked to people, and routing rules per category.
ALTER TABLE units ADD COLUMN category TEXT;
CREATE UNIQUE INDEX units_name_in_parent ON units(parent_id, name);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    post TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX people_unit ON people(unit_id, name);

ALTER TABLE staff ADD COLUMN person_id TEXT REFERENCES people(id);
ALTER TABLE leading_groups ADD COLUMN head_person_id TEXT REFERENCES people(id);

-- Opinions of `category` from boxes anywhere under `unit_id` go to `leading_group_id`;
-- the rule nearest the box wins.
CREATE TABLE routing_rules (
    unit_id TEXT NOT NULL REFERENCES units(id),
    category TEXT NOT NULL,
    leading_group_id TEXT NOT NULL REFERENCES leading_groups(id),
    PRIMARY KEY (unit_id, category)
);

-- Whom an opinion is about (chosen by the villager or tagged later by a reviewer), and why it
-- went above the nearest leading group: `requested` (越级反映) or `head_named`.
ALTER TABLE opinions ADD COLUMN target_person_id TEXT REFERENCES people(id);
ALTER TABLE opinions ADD COLUMN target_unit_id TEXT REFERENCES units(id);
ALTER TABLE opinions ADD COLUMN escalation TEXT;
CREATE INDEX opinions_target ON opinions(target_person_id);
