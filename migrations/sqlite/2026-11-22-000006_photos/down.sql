DROP TABLE opinion_photos;
