-- 0005_account_settings: settings of the Account Management API, one row
-- per account that has any.
--
-- contact is a JSON object of the contact information's fields (NULL when
-- none was put); alternate_contacts is a JSON array of objects sorted by
-- type; regions is a JSON object from Region name to the opt-in status the
-- account set. The JSON keys are fixed by the store (see
-- account_settings.go), not by Go field names.
CREATE TABLE account_settings (
	account_id         TEXT PRIMARY KEY,
	contact            TEXT,
	alternate_contacts TEXT NOT NULL,
	regions            TEXT NOT NULL
) STRICT;
