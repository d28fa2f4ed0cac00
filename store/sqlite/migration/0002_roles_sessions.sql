-- 0002_roles_sessions: IAM roles with their attached and inline policies,
-- and STS sessions (temporary credentials).
--
-- Roles follow users: keyed by their ID (AROA...), referenced by ID, so a
-- rename keeps their policies; names are unique per account ignoring case
-- through name_key. Times are Unix nanoseconds (NULL for the zero time);
-- tags are a JSON array of [key, value] pairs in their order.

-- last_used_at is NULL when no session of the role was ever created.
CREATE TABLE roles (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL,
	name_key             TEXT NOT NULL,
	path                 TEXT NOT NULL,
	assume_role_policy   TEXT NOT NULL,
	description          TEXT NOT NULL,
	max_session_duration INTEGER NOT NULL,
	permissions_boundary TEXT NOT NULL,
	created_at           INTEGER,
	tags                 TEXT NOT NULL,
	last_used_at         INTEGER,
	UNIQUE (account_id, name_key)
) STRICT;

CREATE TABLE role_attached_policies (
	role_id   TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
	policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	PRIMARY KEY (role_id, policy_id)
) STRICT;
CREATE INDEX role_attached_policies_policy ON role_attached_policies (policy_id);

-- Inline policy names are unique per role as spelled, as for users and
-- groups.
CREATE TABLE role_inline_policies (
	role_id  TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	document TEXT NOT NULL,
	PRIMARY KEY (role_id, name)
) STRICT;

-- sessions are keyed by their access key ID (ASIA...). secret is sealed
-- like access_keys.secret: AES-256-GCM, a 12-byte nonce followed by the
-- ciphertext, with the access key ID as additional data. token_hash is the
-- SHA-256 of the session token, which is never stored. A session names its
-- role or user as it was when the session was created; it does not follow
-- renames or deletes. policy_arns is a JSON array of strings.
CREATE TABLE sessions (
	access_key_id     TEXT PRIMARY KEY,
	secret            BLOB NOT NULL,
	token_hash        BLOB NOT NULL,
	account_id        TEXT NOT NULL,
	kind              TEXT NOT NULL CHECK (kind IN ('role', 'user')),
	role_name         TEXT NOT NULL,
	session_name      TEXT NOT NULL,
	user_name         TEXT NOT NULL,
	session_policy    TEXT NOT NULL,
	policy_arns       TEXT NOT NULL,
	mfa_authenticated INTEGER NOT NULL CHECK (mfa_authenticated IN (0, 1)),
	mfa_auth_time     INTEGER,
	issued_at         INTEGER,
	expiration        INTEGER NOT NULL,
	chained           INTEGER NOT NULL CHECK (chained IN (0, 1)),
	source_identity   TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_expiration ON sessions (expiration);
