-- 0003_mfa: virtual MFA devices.
--
-- A device is keyed by serial_key, its serial number (the device ARN)
-- lower-cased by the store, so serial numbers are unique ignoring case;
-- serial_number keeps the spelling it was created with. seed is the
-- base32 TOTP seed sealed like access_keys.secret: AES-256-GCM, a 12-byte
-- nonce followed by the ciphertext, with serial_key as additional data.
--
-- A device is unassigned (user_id NULL, root 0), assigned to an IAM user
-- by ID (so it follows renames; deleting the user unassigns it), or
-- assigned to the account's root user (root 1). enabled_at is when it was
-- assigned and is ignored while it is unassigned. last_step is the latest
-- TOTP time step accepted from the device. Times are Unix nanoseconds
-- (NULL for the zero time); tags are a JSON array of [key, value] pairs in
-- their order.
CREATE TABLE mfa_devices (
	serial_key    TEXT PRIMARY KEY,
	serial_number TEXT NOT NULL,
	account_id    TEXT NOT NULL,
	name          TEXT NOT NULL,
	path          TEXT NOT NULL,
	seed          BLOB NOT NULL,
	user_id       TEXT REFERENCES users (id) ON DELETE SET NULL,
	root          INTEGER NOT NULL CHECK (root IN (0, 1)),
	enabled_at    INTEGER,
	last_step     INTEGER NOT NULL,
	created_at    INTEGER,
	tags          TEXT NOT NULL,
	CHECK (root = 0 OR user_id IS NULL)
) STRICT;
CREATE INDEX mfa_devices_account ON mfa_devices (account_id, serial_key);
CREATE INDEX mfa_devices_user ON mfa_devices (user_id);
