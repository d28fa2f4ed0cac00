-- 0008_seller_tax_govcloud: tax registrations, Reserved Instance
-- Marketplace seller profiles, linked GovCloud (US) accounts and support
-- cases. (0007 is left to the invoicing work.)
--
-- The seller's bank account, routing number and tax ID, and the GovCloud
-- root secret access key, are sealed with the store's AEAD (like access
-- key secrets), never stored in plaintext.
CREATE TABLE tax_registrations (
	account_id TEXT PRIMARY KEY,
	document   TEXT NOT NULL,
	status     TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE seller_profiles (
	account_id     TEXT PRIMARY KEY,
	legal_name     TEXT NOT NULL,
	bank_account   BLOB NOT NULL,
	routing_number BLOB NOT NULL,
	tax_id         BLOB NOT NULL,
	status         TEXT NOT NULL,
	registered_at  INTEGER
) STRICT;

CREATE TABLE govcloud_accounts (
	id                  TEXT PRIMARY KEY,
	standard_account_id TEXT NOT NULL UNIQUE,
	state               TEXT NOT NULL,
	created_at          INTEGER NOT NULL,
	root_key_id         TEXT,
	root_key_secret     BLOB,
	root_key_created_at INTEGER
) STRICT;

CREATE TABLE support_cases (
	id          TEXT PRIMARY KEY,
	account_id  TEXT NOT NULL,
	kind        TEXT NOT NULL,
	subject     TEXT NOT NULL,
	status      TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	resolved_at INTEGER
) STRICT;
CREATE INDEX support_cases_account ON support_cases (account_id);
