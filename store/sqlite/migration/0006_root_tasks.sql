-- 0006_root_tasks: account state, the IAM billing access switch, root
-- email changes awaiting confirmation, and the outbox of messages
-- Gatehouse would email.
--
-- closed_at is NULL while the account is active. pending_email_code_hash
-- is the SHA-256 (hex) of the confirmation code, never the code.
ALTER TABLE accounts ADD COLUMN closed_at INTEGER;
ALTER TABLE accounts ADD COLUMN iam_billing_access INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN pending_email TEXT;
ALTER TABLE accounts ADD COLUMN pending_email_code_hash TEXT;
ALTER TABLE accounts ADD COLUMN pending_email_expires INTEGER;

CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,
	account_id TEXT NOT NULL,
	to_address TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_account ON outbox (account_id, seq);
