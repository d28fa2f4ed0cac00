package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func newKey(keyID, user string, created int) *gatehouse.AccessKey {
	return &gatehouse.AccessKey{
		ID: keyID, AccountID: acct1, UserName: user, Status: gatehouse.KeyActive,
		Secret: gatehouse.Secret("secret/" + keyID + "+wJalrXUtnFEMI/K7MDENG=="), CreatedAt: at(created),
	}
}

func normKey(k *gatehouse.AccessKey) gatehouse.AccessKey {
	n := *k
	n.CreatedAt = n.CreatedAt.UTC()
	if n.LastUsed != nil {
		u := *n.LastUsed
		u.Time = u.Time.UTC()
		n.LastUsed = &u
	}
	return n
}

// wantKey compares two access keys, secrets first: a Secret prints
// redacted.
func wantKey(t testing.TB, got, want *gatehouse.AccessKey) {
	t.Helper()
	if got.Secret.Reveal() != want.Secret.Reveal() {
		t.Fatalf("key %s: secret %q, want %q", want.ID, got.Secret.Reveal(), want.Secret.Reveal())
	}
	wantEqual(t, "access key", normKey(got), normKey(want))
}

func keyIDs(keys []*gatehouse.AccessKey) []string {
	ids := []string{}
	for _, k := range keys {
		ids = append(ids, k.ID)
	}
	return ids
}

// seedKeys stores the keys in one update.
func seedKeys(t testing.TB, s gatehouse.Store, keys ...*gatehouse.AccessKey) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, k := range keys {
			if err := tx.CreateAccessKey(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func wantKeys(t *testing.T, s gatehouse.Store, user string, ids []string) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		keys, err := tx.AccessKeys(acct1, user)
		if err != nil {
			return err
		}
		wantEqual(t, "keys of "+user, keyIDs(keys), ids)
		return nil
	})
}

func accessKeyTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "Alice")
			user, root := newKey("AKIAUSER", "Alice", 1), newKey("AKIAROOT", "", 2)
			seedKeys(t, s, user, root)
			mustView(t, s, func(tx gatehouse.Tx) error {
				for _, want := range []*gatehouse.AccessKey{user, root} {
					got, err := tx.AccessKey(want.ID)
					if err != nil {
						return err
					}
					wantKey(t, got, want)
				}
				return nil
			})
		}},
		{"SecretsRoundTrip", func(t *testing.T, s gatehouse.Store) {
			secrets := []struct {
				name   string
				secret string
			}{
				{"AWSStyle", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
				{"Empty", ""},
				{"Unicode", "sécrét-ключ-秘密"},
				{"Long", string(make([]byte, 4096))},
				{"Punctuation", `'";--%_\/+=`},
			}
			for _, tc := range secrets {
				t.Run(tc.name, func(t *testing.T) {
					k := newKey("AKIA"+tc.name, "", 1)
					k.Secret = gatehouse.Secret(tc.secret)
					seedKeys(t, s, k)
					mustView(t, s, func(tx gatehouse.Tx) error {
						got, err := tx.AccessKey(k.ID)
						if err != nil {
							return err
						}
						wantKey(t, got, k)
						return nil
					})
				})
			}
		}},
		{"ListOldestFirstPerOwner", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			seedKeys(t, s,
				newKey("AKIAALICE2", "alice", 5), newKey("AKIAALICE1", "alice", 3),
				newKey("AKIAROOT2", "", 9), newKey("AKIAROOT1", "", 1),
				newKey("AKIABOB", "bob", 2))
			other := newKey("AKIAOTHERROOT", "", 0)
			other.AccountID = acct2
			seedKeys(t, s, other)
			wantKeys(t, s, "alice", []string{"AKIAALICE1", "AKIAALICE2"})
			wantKeys(t, s, "ALICE", []string{"AKIAALICE1", "AKIAALICE2"})
			wantKeys(t, s, "bob", []string{"AKIABOB"})
			wantKeys(t, s, "", []string{"AKIAROOT1", "AKIAROOT2"})
		}},
		{"Update", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			k := newKey("AKIAUSER", "alice", 1)
			seedKeys(t, s, k)
			k.Status = gatehouse.KeyInactive
			k.LastUsed = &gatehouse.AccessKeyUse{Time: at(60), Service: "iam", Region: "us-east-1"}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateAccessKey(k) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AccessKey(k.ID)
				if err != nil {
					return err
				}
				wantKey(t, got, k)
				return nil
			})
		}},
		{"RenameKeepsKeys", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedKeys(t, s, newKey("AKIAUSER", "alice", 1))
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				u := newUser(acct1, "alicia")
				u.ID = id("AIDA", acct1, "alice")
				return tx.UpdateUser("alice", u)
			})
			wantKeys(t, s, "alicia", []string{"AKIAUSER"})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AccessKey("AKIAUSER")
				if err != nil {
					return err
				}
				if got.UserName != "alicia" {
					t.Errorf("UserName of a renamed user's key = %q, want alicia", got.UserName)
				}
				return nil
			})
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedKeys(t, s, newKey("AKIA1", "alice", 1), newKey("AKIA2", "alice", 2))
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteAccessKey("AKIA1") })
			wantKeys(t, s, "alice", []string{"AKIA2"})
		}},
		{"DeleteUserRemovesKeys", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedKeys(t, s, newKey("AKIAUSER", "alice", 1), newKey("AKIAROOT", "", 2))
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "alice") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.AccessKey("AKIAUSER")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			wantKeys(t, s, "", []string{"AKIAROOT"})
			seedUsers(t, s, acct1, "alice")
			wantKeys(t, s, "alice", []string{})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedKeys(t, s, newKey("AKIAUSER", "alice", 1))
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicateID", func(tx gatehouse.Tx) error { return tx.CreateAccessKey(newKey("AKIAUSER", "", 2)) },
					gatehouse.CodeAlreadyExists},
				{"CreateForUnknownUser", func(tx gatehouse.Tx) error { return tx.CreateAccessKey(newKey("AKIANEW", "nobody", 2)) },
					gatehouse.CodeNotFound},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.AccessKey("AKIANONE"); return err },
					gatehouse.CodeNotFound},
				{"ListOfUnknownUser", func(tx gatehouse.Tx) error { _, err := tx.AccessKeys(acct1, "nobody"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateAccessKey(newKey("AKIANONE", "", 1)) },
					gatehouse.CodeNotFound},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteAccessKey("AKIANONE") },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
