-- 0013_credential_reports: each account's newest credential report (CSV).
CREATE TABLE credential_reports (
	account_id   TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	generated_at INTEGER NOT NULL,
	content      BLOB NOT NULL
);
