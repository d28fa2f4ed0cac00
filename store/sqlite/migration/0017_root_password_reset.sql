-- 0017_root_password_reset: pending "forgot password" resets of root
-- passwords (docs/root-tasks.md, "Lost root credentials").
--
-- One row per account: a new request replaces the old one. code_hash is
-- the SHA-256 (hex) of the one-time code, bound to the account and the
-- address it was sent to, never the code; the code itself is only in the
-- outbox message, sealed like every outbox body.
CREATE TABLE root_password_resets (
	account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	code_hash  TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0
) STRICT;
