ALTER TABLE leading_groups DROP COLUMN confirmed_since;
ALTER TABLE staff DROP COLUMN confirmed_on;
ALTER TABLE staff DROP COLUMN confirmed_by;
