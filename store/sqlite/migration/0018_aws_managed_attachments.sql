-- 0018_aws_managed_attachments: AWS managed policies are no longer stored.
--
-- They are global, read-only data that the server embeds (package
-- awsmanaged, in front of the store), so the store keeps only which
-- users, groups and roles have one attached, by the policy's ARN in the
-- standard partition (arn:aws:iam::aws:policy/PATH/NAME), whatever the
-- account's partition. The policies seeded by earlier versions (account
-- 'aws') move their attachments here and are deleted with their versions.
CREATE TABLE user_aws_policies (
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	policy_arn TEXT NOT NULL,
	PRIMARY KEY (user_id, policy_arn)
) STRICT;
CREATE INDEX user_aws_policies_policy ON user_aws_policies (policy_arn);

CREATE TABLE group_aws_policies (
	group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	policy_arn TEXT NOT NULL,
	PRIMARY KEY (group_id, policy_arn)
) STRICT;
CREATE INDEX group_aws_policies_policy ON group_aws_policies (policy_arn);

CREATE TABLE role_aws_policies (
	role_id    TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
	policy_arn TEXT NOT NULL,
	PRIMARY KEY (role_id, policy_arn)
) STRICT;
CREATE INDEX role_aws_policies_policy ON role_aws_policies (policy_arn);

INSERT INTO user_aws_policies (user_id, policy_arn)
	SELECT a.user_id, p.arn FROM user_attached_policies a JOIN policies p ON p.id = a.policy_id WHERE p.account_id = 'aws';
INSERT INTO group_aws_policies (group_id, policy_arn)
	SELECT a.group_id, p.arn FROM group_attached_policies a JOIN policies p ON p.id = a.policy_id WHERE p.account_id = 'aws';
INSERT INTO role_aws_policies (role_id, policy_arn)
	SELECT a.role_id, p.arn FROM role_attached_policies a JOIN policies p ON p.id = a.policy_id WHERE p.account_id = 'aws';

DELETE FROM user_attached_policies WHERE policy_id IN (SELECT id FROM policies WHERE account_id = 'aws');
DELETE FROM group_attached_policies WHERE policy_id IN (SELECT id FROM policies WHERE account_id = 'aws');
DELETE FROM role_attached_policies WHERE policy_id IN (SELECT id FROM policies WHERE account_id = 'aws');
DELETE FROM policy_versions WHERE policy_id IN (SELECT id FROM policies WHERE account_id = 'aws');
DELETE FROM policies WHERE account_id = 'aws';
