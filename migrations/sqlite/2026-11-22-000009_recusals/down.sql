DROP TABLE recusals;
