-- 0014_account_partition: an account's ARN partition; '' is aws (standard
-- accounts), 'aws-us-gov' a linked AWS GovCloud (US) account, which is an
-- account of its own that its root access key can call the API as.
ALTER TABLE accounts ADD COLUMN partition TEXT NOT NULL DEFAULT '';
