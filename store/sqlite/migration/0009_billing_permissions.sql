-- 0009_billing_permissions: the account's pinned billing permission model
-- (aws-reference §3.1): '' (auto: decided by the creation date), 'legacy'
-- or 'fine-grained'. Set with `gatehouse account set --billing-permissions`.
ALTER TABLE accounts ADD COLUMN billing_permissions TEXT NOT NULL DEFAULT '';
