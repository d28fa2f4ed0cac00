package sqlite_test

import (
	"slices"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestAWSManagedMigrationKeepsAttachments makes a database as it was
// before migration 0018 (AWS managed policies seeded as rows of account
// "aws" with their versions, attached by policy ID), opens it, and checks
// that every attachment is kept, now by ARN, that the customer managed
// policy's attachments are untouched, and that no AWS managed policy or
// version is left in the database.
func TestAWSManagedMigrationKeepsAttachments(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	populate(t, s) // account acct: alice, dev, deploy, each with policy p and awsPolicyARN
	MustClose(t, s)
	func() {
		db := rawDB(t, path)
		defer db.Close()
		for _, q := range []string{
			`DROP TABLE user_aws_policies`,
			`DROP TABLE group_aws_policies`,
			`DROP TABLE role_aws_policies`,
			`DELETE FROM migrations WHERE name = 'migration/0018_aws_managed_attachments.sql'`,
			`INSERT INTO policies (id, account_id, name, name_key, path, arn, description, default_version_id, next_version, created_at, updated_at, tags)
				VALUES ('ANPAREADONLY', 'aws', 'ReadOnlyAccess', 'readonlyaccess', '/', '` + awsPolicyARN + `', '', 'v2', 1, 1, 1, '[]')`,
			`INSERT INTO policies (id, account_id, name, name_key, path, arn, description, default_version_id, next_version, created_at, updated_at, tags)
				VALUES ('ANPAUNUSED', 'aws', 'IAMFullAccess', 'iamfullaccess', '/', 'arn:aws:iam::aws:policy/IAMFullAccess', '', 'v1', 1, 1, 1, '[]')`,
			`INSERT INTO policy_versions (policy_id, version_id, seq, document, created_at) VALUES
				('ANPAREADONLY', 'v1', 1, '{}', 1), ('ANPAREADONLY', 'v2', 2, '{}', 1), ('ANPAUNUSED', 'v1', 1, '{}', 1)`,
			`INSERT INTO user_attached_policies (user_id, policy_id) SELECT id, 'ANPAREADONLY' FROM users WHERE name = 'alice'`,
			`INSERT INTO group_attached_policies (group_id, policy_id) SELECT id, 'ANPAREADONLY' FROM groups WHERE name = 'dev'`,
			`INSERT INTO role_attached_policies (role_id, policy_id) SELECT id, 'ANPAREADONLY' FROM roles WHERE name = 'deploy'`,
		} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}()

	s = MustOpen(t, path)
	defer MustClose(t, s)
	mustView(t, s, func(tx gatehouse.Tx) error {
		for _, ref := range []gatehouse.EntityRef{userRef("alice"), groupRef("dev"), roleRef("deploy")} {
			got, err := tx.AttachedPolicies(acct, ref)
			if err != nil {
				return err
			}
			if want := []string{policyARN, awsPolicyARN}; !slices.Equal(got, want) {
				t.Errorf("%s %s: attached %q, want %q", ref.Kind, ref.Name, got, want)
			}
		}
		refs, err := tx.PolicyAttachments(acct, awsPolicyARN)
		if err != nil {
			return err
		}
		if len(refs) != 3 {
			t.Errorf("attachments of %s: %v, want 3", awsPolicyARN, refs)
		}
		_, err = tx.Policy(awsPolicyARN)
		if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			t.Errorf("Policy(%s) after the migration: %v, want CodeNotFound", awsPolicyARN, err)
		}
		return nil
	})
	var policies, versions int
	db := rawDB(t, path)
	defer db.Close()
	if err := db.QueryRow(`SELECT COUNT(*) FROM policies WHERE account_id = 'aws'`).Scan(&policies); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM policy_versions WHERE policy_id IN ('ANPAREADONLY', 'ANPAUNUSED')`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if policies != 0 || versions != 0 {
		t.Errorf("after the migration: %d AWS managed policies and %d of their versions stored, want none", policies, versions)
	}
}
