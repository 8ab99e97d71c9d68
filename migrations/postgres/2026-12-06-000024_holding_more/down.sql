-- What waits goes to its table rather than being lost.
INSERT INTO responses (id, round_id, change_hash, held)
SELECT id, round_id, change_hash, held FROM waiting_responses;
INSERT INTO answers (response_id, subject_id, item_key, rating, text)
SELECT response_id, subject_id, item_key, rating, text FROM waiting_answers;
UPDATE slips SET used = TRUE WHERE code_hash IN (SELECT code_hash FROM waiting_slips);
INSERT INTO used_tokens (token_hash, binding, expires_on)
SELECT token_hash, binding, expires_on FROM waiting_tokens;
INSERT INTO opinion_messages (id, opinion_id, from_staff, body, sent_on, seq)
SELECT w.id, w.opinion_id, FALSE, w.body, w.sent_on,
    w.seq + COALESCE((SELECT MAX(m.seq) FROM opinion_messages m
                      WHERE m.opinion_id = w.opinion_id AND m.seq >= w.seq), 0)
FROM waiting_replies w;
DROP TABLE waiting_replies;
DROP TABLE waiting_tokens;
DROP TABLE waiting_slips;
DROP TABLE waiting_answers;
DROP TABLE waiting_responses;
