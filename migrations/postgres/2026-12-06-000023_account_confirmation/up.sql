-- A member account reads opinions only once another member of its group, or of a group of a
-- level above, has confirmed that it belongs to its person (four eyes): an admin who creates,
-- re-links or resets an account cannot read through it. Days only, no finer time.
ALTER TABLE staff ADD COLUMN confirmed_by TEXT;
ALTER TABLE staff ADD COLUMN confirmed_on TEXT;
-- The day a group first had a confirmed member; never cleared, so a group can be bootstrapped
-- (its first member confirmed without a second) only once.
ALTER TABLE leading_groups ADD COLUMN confirmed_since TEXT;

-- Accounts linked to a person before this check existed keep working; unlinked member accounts
-- read nothing until they are linked and confirmed.
UPDATE staff SET confirmed_on = COALESCE(linked_on, CURRENT_DATE::text)
WHERE role = 'member' AND person_id IS NOT NULL;
UPDATE leading_groups SET confirmed_since = CURRENT_DATE::text
WHERE id IN (SELECT leading_group_id FROM staff WHERE confirmed_on IS NOT NULL);
