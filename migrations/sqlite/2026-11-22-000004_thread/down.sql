DROP TABLE opinion_messages;
