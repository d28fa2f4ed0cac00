-- 0019_s3: S3 buckets and the versions of their objects. Object bytes are
-- blobs in a directory beside the database (package blob); a version row
-- names its blob and is committed only after the blob is durable.
--
-- Bucket names are unique per partition; partition is "" for the
-- standard one, as accounts.partition. Objects are kept under the
-- bucket's id, so a bucket deleted and made again starts empty.
CREATE TABLE buckets (
	id         TEXT PRIMARY KEY,
	partition  TEXT NOT NULL,
	name       TEXT NOT NULL,
	account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	region     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	versioning TEXT NOT NULL DEFAULT '',
	mfa_delete INTEGER NOT NULL DEFAULT 0,
	policy     TEXT NOT NULL DEFAULT '',
	tags       TEXT NOT NULL DEFAULT '[]',
	public_access_block TEXT NOT NULL DEFAULT '',
	UNIQUE (partition, name)
) STRICT;
CREATE INDEX buckets_account ON buckets (account_id, name);

-- seq orders versions: the latest version of a key has the highest.
CREATE TABLE objects (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	bucket_id     TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
	key           TEXT NOT NULL,
	version_id    TEXT NOT NULL,
	delete_marker INTEGER NOT NULL DEFAULT 0,
	size          INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	modified_at   INTEGER NOT NULL,
	document      TEXT NOT NULL DEFAULT '{}',
	blob_id       TEXT NOT NULL DEFAULT '',
	owner         TEXT NOT NULL DEFAULT '',
	UNIQUE (bucket_id, key, version_id)
) STRICT;
CREATE INDEX objects_key ON objects (bucket_id, key, seq);
CREATE INDEX objects_blob ON objects (blob_id) WHERE blob_id <> '';

-- Multipart uploads in progress and their parts; a part row is committed
-- after its blob, like a version.
CREATE TABLE uploads (
	id           TEXT PRIMARY KEY,
	bucket_id    TEXT NOT NULL REFERENCES buckets (id) ON DELETE CASCADE,
	key          TEXT NOT NULL,
	initiated_at INTEGER NOT NULL,
	document     TEXT NOT NULL DEFAULT '{}',
	owner        TEXT NOT NULL DEFAULT '',
	checksum_algorithm TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX uploads_key ON uploads (bucket_id, key, initiated_at, id);

CREATE TABLE upload_parts (
	upload_id   TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	size        INTEGER NOT NULL,
	etag        TEXT NOT NULL,
	modified_at INTEGER NOT NULL,
	checksum    TEXT NOT NULL DEFAULT '',
	blob_id     TEXT NOT NULL,
	PRIMARY KEY (upload_id, number)
) STRICT;
CREATE INDEX upload_parts_blob ON upload_parts (blob_id);
