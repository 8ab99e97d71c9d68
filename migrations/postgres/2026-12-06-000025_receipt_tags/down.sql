DROP INDEX waiting_opinions_receipt_tag;
DROP INDEX opinions_receipt_tag;
ALTER TABLE waiting_opinions DROP COLUMN receipt_tag;
ALTER TABLE opinions DROP COLUMN receipt_tag;
