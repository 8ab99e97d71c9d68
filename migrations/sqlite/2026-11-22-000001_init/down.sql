DROP TABLE opinions;
DROP TABLE boxes;
DROP TABLE staff_sessions;
DROP TABLE staff;
DROP TABLE leading_groups;
DROP TABLE units;
