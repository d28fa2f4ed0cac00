-- 0020_audit_root_exception: audit decisions may be
-- 'allowedByRootException', a bucket-policy action of the bucket owner's
-- root user allowed although the bucket policy denies it
-- (gatehouse.DecisionRootException). SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt with its rows, numbers
-- and indexes.
CREATE TABLE audit_new (
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
	decision       TEXT NOT NULL CHECK (decision IN ('', 'allowed', 'explicitDeny', 'implicitDeny', 'allowedByRootException')),
	error_code     TEXT NOT NULL,
	source_ip      TEXT NOT NULL,
	user_agent     TEXT NOT NULL,
	sign_in        INTEGER NOT NULL DEFAULT 0 CHECK (sign_in IN (0, 1)),
	mfa            INTEGER NOT NULL DEFAULT 0 CHECK (mfa IN (0, 1))
) STRICT;
INSERT INTO audit_new (seq, time, request_id, account_id, principal_arn, principal_type, root, access_key_id, service, action,
	resource, decision, error_code, source_ip, user_agent, sign_in, mfa)
	SELECT seq, time, request_id, account_id, principal_arn, principal_type, root, access_key_id, service, action,
		resource, decision, error_code, source_ip, user_agent, sign_in, mfa FROM audit;
-- AUTOINCREMENT: never reuse a number the old table handed out. The old
-- table's counter becomes the new one's (the rename below follows it).
DELETE FROM sqlite_sequence WHERE name = 'audit_new';
UPDATE sqlite_sequence SET name = 'audit_new' WHERE name = 'audit';
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
CREATE INDEX audit_account ON audit (account_id, seq);
CREATE INDEX audit_time ON audit (time);
