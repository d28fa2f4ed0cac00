-- 0021_bucket_mfa_delete_configured: whether a bucket's MfaDelete has
-- ever been set (Enabled or Disabled). GetBucketVersioning shows
-- MfaDelete from then on, Disabled when it is off, as S3 does. A bucket
-- with MFA delete on has had it set.
ALTER TABLE buckets ADD COLUMN mfa_delete_configured INTEGER NOT NULL DEFAULT 0;
UPDATE buckets SET mfa_delete_configured = 1 WHERE mfa_delete = 1;
