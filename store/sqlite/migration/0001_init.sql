-- 0001_init: the initial schema.
--
-- Entities are keyed by their unique IDs (AIDA..., AGPA..., ANPA...), and
-- every reference between them is by ID, so renaming a user or a group
-- keeps its memberships, attachments, inline policies and access keys.
-- Names are unique per account ignoring case through name_key, the name
-- lower-cased by the store. Times are Unix nanoseconds (NULL for the zero
-- time); tags are a JSON array of [key, value] pairs in their order.

-- revision counts committed updates; it is bumped in the same transaction
-- as the update it counts.
CREATE TABLE revision (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
) STRICT;
INSERT INTO revision (id, value) VALUES (1, 0);

CREATE TABLE accounts (
	id                 TEXT PRIMARY KEY,
	email              TEXT NOT NULL,
	name               TEXT NOT NULL,
	created_at         INTEGER,
	root_password_hash TEXT NOT NULL,
	alias              TEXT UNIQUE -- NULL when the account has none
) STRICT;

CREATE TABLE users (
	id                   TEXT PRIMARY KEY,
	account_id           TEXT NOT NULL,
	name                 TEXT NOT NULL,
	name_key             TEXT NOT NULL,
	path                 TEXT NOT NULL,
	created_at           INTEGER,
	permissions_boundary TEXT NOT NULL,
	tags                 TEXT NOT NULL,
	UNIQUE (account_id, name_key)
) STRICT;

CREATE TABLE groups (
	id         TEXT PRIMARY KEY,
	account_id TEXT NOT NULL,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,
	path       TEXT NOT NULL,
	created_at INTEGER,
	UNIQUE (account_id, name_key)
) STRICT;

CREATE TABLE group_members (
	group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_members_user ON group_members (user_id);

-- policies holds customer managed policies and, under account 'aws', any
-- AWS managed policies loaded into the server.
CREATE TABLE policies (
	id                 TEXT PRIMARY KEY,
	account_id         TEXT NOT NULL,
	name               TEXT NOT NULL,
	name_key           TEXT NOT NULL,
	path               TEXT NOT NULL,
	arn                TEXT NOT NULL,
	description        TEXT NOT NULL,
	default_version_id TEXT NOT NULL,
	next_version       INTEGER NOT NULL,
	created_at         INTEGER,
	updated_at         INTEGER,
	tags               TEXT NOT NULL,
	UNIQUE (account_id, name_key)
) STRICT;

-- seq is the number in the version ID ("v3" is 3); versions list newest
-- first by it.
CREATE TABLE policy_versions (
	policy_id  TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	version_id TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	document   TEXT NOT NULL,
	created_at INTEGER,
	PRIMARY KEY (policy_id, version_id)
) STRICT;

CREATE TABLE user_attached_policies (
	user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, policy_id)
) STRICT;
CREATE INDEX user_attached_policies_policy ON user_attached_policies (policy_id);

CREATE TABLE group_attached_policies (
	group_id  TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, policy_id)
) STRICT;
CREATE INDEX group_attached_policies_policy ON group_attached_policies (policy_id);

-- Inline policy names are unique per owner as spelled (AWS documents
-- case-insensitivity only for entity and managed policy names).
CREATE TABLE user_inline_policies (
	user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	document TEXT NOT NULL,
	PRIMARY KEY (user_id, name)
) STRICT;

CREATE TABLE group_inline_policies (
	group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	name     TEXT NOT NULL,
	document TEXT NOT NULL,
	PRIMARY KEY (group_id, name)
) STRICT;

-- access_keys.user_id is NULL for the root user's keys. secret is the
-- AES-256-GCM sealed secret: a 12-byte nonce followed by the ciphertext,
-- sealed with the key ID as additional data.
CREATE TABLE access_keys (
	id                TEXT PRIMARY KEY,
	account_id        TEXT NOT NULL,
	user_id           TEXT REFERENCES users (id) ON DELETE CASCADE,
	status            TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
	secret            BLOB NOT NULL,
	created_at        INTEGER,
	last_used_at      INTEGER, -- NULL when never used
	last_used_service TEXT NOT NULL,
	last_used_region  TEXT NOT NULL
) STRICT;
CREATE INDEX access_keys_owner ON access_keys (account_id, user_id);
CREATE INDEX access_keys_user ON access_keys (user_id);
