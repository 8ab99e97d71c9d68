DROP TABLE answers;
DROP TABLE responses;
DROP TABLE slips;
DROP TABLE round_subjects;
DROP TABLE rounds;
DROP TABLE questionnaires;
