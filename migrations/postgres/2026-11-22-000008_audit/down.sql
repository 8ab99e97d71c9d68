DROP TABLE audit_head;
DROP TABLE audit_log;
ALTER TABLE staff DROP COLUMN role;
