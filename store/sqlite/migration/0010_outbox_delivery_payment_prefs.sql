-- 0010_outbox_delivery_payment_prefs: SMTP delivery state of outbox
-- messages, and each account's payment preferences (preferred currency,
-- invoice delivery by email, credit sharing).
--
-- delivery_status is PENDING until the SMTP deliverer of `gatehouse serve
-- --smtp-addr` sends the message (DELIVERED) or gives up (FAILED);
-- next_attempt_at is NULL when it may be tried at once.
ALTER TABLE outbox ADD COLUMN delivery_status TEXT NOT NULL DEFAULT 'PENDING';
ALTER TABLE outbox ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN delivery_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN delivered_at INTEGER;
CREATE INDEX outbox_delivery ON outbox (delivery_status, seq);

CREATE TABLE payment_preferences (
	account_id       TEXT PRIMARY KEY,
	currency         TEXT NOT NULL,
	invoice_by_email INTEGER NOT NULL,
	credit_sharing   INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
) STRICT;
