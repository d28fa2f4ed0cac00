-- 0012_password_policy_login_profiles: the account's IAM password policy
-- (JSON, NULL when none is set) and IAM users' console passwords. A login
-- profile belongs to the user's unique ID, so it follows a rename and is
-- deleted with the user. history is a JSON array of earlier password
-- hashes, newest first.
ALTER TABLE account_settings ADD COLUMN password_policy TEXT;

CREATE TABLE login_profiles (
	user_id             TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	account_id          TEXT NOT NULL,
	password_hash       TEXT NOT NULL,
	reset_required      INTEGER NOT NULL,
	created_at          INTEGER NOT NULL,
	password_changed_at INTEGER NOT NULL,
	history             TEXT NOT NULL DEFAULT '[]'
);
