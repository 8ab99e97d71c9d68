-- How many identifiers of each kind were masked before storing, as JSON: {"mobile": 1}.
ALTER TABLE opinions ADD COLUMN mask_counts TEXT NOT NULL DEFAULT '{}';
