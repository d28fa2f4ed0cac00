-- 0016_outbox_sealed: outbox message bodies are sealed at rest, like
-- access-key secrets: they carry root email confirmation codes.
--
-- body_sealed is nonce||AES-256-GCM(body) under secret.key, with the
-- message's ID as additional data (outboxAAD); body is left '' for every
-- message written from now on. SQL cannot seal, so the rows already in
-- the table are sealed in Go, by sealOutboxBodies, in the same
-- transaction that applies this migration; then the file is vacuumed, so
-- no old copy of a plain body is left in its free space.
ALTER TABLE outbox ADD COLUMN body_sealed BLOB;

-- Delivery errors stored before this migration hold SMTP servers' reply
-- text, which can echo the credentials sent to them: they are replaced.
-- From now on the deliverer stores only the stage, the reply code and a
-- fixed description (outbox.safeError).
UPDATE outbox SET delivery_error = 'an earlier error (its SMTP reply is not kept)' WHERE delivery_error != '';
