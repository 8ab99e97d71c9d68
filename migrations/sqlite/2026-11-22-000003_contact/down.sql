ALTER TABLE opinions DROP COLUMN contact_phone;
ALTER TABLE opinions DROP COLUMN contact_name;
