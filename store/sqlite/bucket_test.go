package sqlite_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestBucketMFADeleteMigration makes buckets as they were before
// migration 0021 (mfa_delete alone), opens the store, and checks that
// the bucket with MFA delete on counts as having had it configured and
// the other does not.
func TestBucketMFADeleteMigration(t *testing.T) {
	path := tempPath(t)
	s := MustOpen(t, path)
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		if err := tx.CreateAccount(&gatehouse.Account{ID: acct, Email: "root@example.com"}); err != nil {
			return err
		}
		for _, b := range []*gatehouse.Bucket{
			{ID: "b-on", Name: "mfa-on", AccountID: acct, Region: "us-east-1", Versioning: "Enabled", MFADelete: true},
			{ID: "b-off", Name: "mfa-off", AccountID: acct, Region: "us-east-1", Versioning: "Enabled"},
		} {
			if err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	MustClose(t, s)
	db := rawDB(t, path)
	for _, q := range []string{
		`ALTER TABLE buckets DROP COLUMN mfa_delete_configured`,
		`DELETE FROM migrations WHERE name = 'migration/0021_bucket_mfa_delete_configured.sql'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s = MustOpen(t, path)
	mustView(t, s, func(tx gatehouse.Tx) error {
		for name, want := range map[string]bool{"mfa-on": true, "mfa-off": false} {
			b, err := tx.Bucket("", name)
			if err != nil {
				return err
			}
			if b.MFADeleteConfigured != want {
				t.Errorf("%s: MFADeleteConfigured %v, want %v", name, b.MFADeleteConfigured, want)
			}
		}
		return nil
	})
}
