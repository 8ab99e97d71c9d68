-- Contact details a villager chose to leave (实名); NULL for anonymous opinions, the default.
ALTER TABLE opinions ADD COLUMN contact_name TEXT;
ALTER TABLE opinions ADD COLUMN contact_phone TEXT;
