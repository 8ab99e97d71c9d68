-- The workflow 新收 → 已受理 → 已交办 → 整改中 → 已办结, or 不予受理; 处理中 becomes 已受理.
UPDATE opinions SET state = 'accepted' WHERE state = 'in_progress';
-- The day a released opinion should be resolved by; set on release from its category.
ALTER TABLE opinions ADD COLUMN due_on TEXT;
UPDATE opinions SET due_on = date(released_on, '+15 days') WHERE released_on IS NOT NULL;
CREATE INDEX opinions_due ON opinions(leading_group_id, due_on);
