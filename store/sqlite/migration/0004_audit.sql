-- 0004_audit: the audit trail, one row per API request.
--
-- Rows are only appended. seq numbers them in the order they were
-- appended; AUTOINCREMENT keeps a number from being used twice, even
-- after the newest rows are deleted. time is Unix nanoseconds. decision
-- is '' when no authorization decision was made; root is 1 for requests
-- of an account's root user. No column holds a secret.
CREATE TABLE audit (
	seq            INTEGER PRIMARY KEY AUTOINCREMENT,
	time           INTEGER NOT NULL,
	request_id     TEXT NOT NULL,
	account_id     TEXT NOT NULL,
	principal_arn  TEXT NOT NULL,
	principal_type TEXT NOT NULL,
	root           INTEGER NOT NULL CHECK (root IN (0, 1)),
	access_key_id  TEXT NOT NULL,
	service        TEXT NOT NULL,
	action         TEXT NOT NULL,
	resource       TEXT NOT NULL,
	decision       TEXT NOT NULL CHECK (decision IN ('', 'allowed', 'explicitDeny', 'implicitDeny')),
	error_code     TEXT NOT NULL,
	source_ip      TEXT NOT NULL,
	user_agent     TEXT NOT NULL
) STRICT;
CREATE INDEX audit_account ON audit (account_id, seq);
CREATE INDEX audit_time ON audit (time);
