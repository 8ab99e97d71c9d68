-- Held opinions go back to the queue rather than being lost.
UPDATE opinions SET released_on = received_on, release_by = NULL WHERE held;
DROP INDEX opinions_held;
ALTER TABLE opinions DROP COLUMN held;
DROP TABLE box_hour_counts;
INSERT INTO opinions (id, box_id, leading_group_id, category, body, state, received_on,
    receipt_hash, mask_counts, contact_name, contact_phone, released_on, release_by,
    target_person_id, target_unit_id, escalation)
SELECT id, box_id, leading_group_id, category, body, 'new', received_on, receipt_hash,
    mask_counts, contact_name, contact_phone, NULL, release_by, target_person_id,
    target_unit_id, escalation
FROM waiting_opinions;
INSERT INTO opinion_photos (id, opinion_id, seq, width, height, jpeg)
SELECT id, opinion_id, seq, width, height, jpeg FROM waiting_photos;
INSERT INTO opinion_messages (id, opinion_id, from_staff, body, sent_on, seq)
SELECT id, opinion_id, FALSE, body, sent_on, seq FROM waiting_messages;
INSERT INTO submission_keys (key_hash, sealed, expires_on)
SELECT key_hash, key_sealed, key_expires_on FROM waiting_opinions WHERE key_hash IS NOT NULL;
CREATE INDEX opinions_waiting ON opinions(release_by);
DROP TABLE waiting_messages;
DROP TABLE waiting_photos;
DROP TABLE waiting_opinions;
