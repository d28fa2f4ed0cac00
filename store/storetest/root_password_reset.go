package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// rootPasswordResetTests cover pending root password resets (one per
// account, replaced by a new one, gone with the account, invisible to the
// revision) and the deletion of root sessions.
func rootPasswordResetTests() []test {
	return []test{
		{"PutGetReplaceDelete", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.RootPasswordReset(acct1)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			first := &gatehouse.RootPasswordReset{AccountID: acct1, CodeHash: "hash-1", CreatedAt: at(1), ExpiresAt: at(3601)}
			before := mustRevision(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutRootPasswordReset(first) })
			if after := mustRevision(t, s); after != before {
				t.Errorf("a reset request moved the revision from %d to %d", before, after)
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.RootPasswordReset(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "reset", normReset(got), normReset(first))
				_, err = tx.RootPasswordReset(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			// A wrong attempt is counted.
			first.Attempts = 1
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutRootPasswordReset(first) })
			// A new request replaces the old one, attempts included.
			second := &gatehouse.RootPasswordReset{AccountID: acct1, CodeHash: "hash-2", CreatedAt: at(10), ExpiresAt: at(3610)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutRootPasswordReset(second) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.RootPasswordReset(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "replaced reset", normReset(got), normReset(second))
				return nil
			})
			before = mustRevision(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteRootPasswordReset(acct1) })
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteRootPasswordReset(acct1) }) // none: no error
			if after := mustRevision(t, s); after != before {
				t.Errorf("deleting a reset moved the revision from %d to %d", before, after)
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.RootPasswordReset(acct1)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"StampsCreatedAt", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			r := &gatehouse.RootPasswordReset{AccountID: acct2, CodeHash: "h", ExpiresAt: at(100)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutRootPasswordReset(r) })
			if r.CreatedAt.IsZero() {
				t.Fatal("CreatedAt not stamped")
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.RootPasswordReset(acct2)
				if err != nil {
					return err
				}
				if !got.CreatedAt.Equal(r.CreatedAt) {
					t.Errorf("CreatedAt %v, want %v", got.CreatedAt, r.CreatedAt)
				}
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			runErrorCases(t, s, []errorCase{
				{"UnknownAccount", func(tx gatehouse.Tx) error {
					return tx.PutRootPasswordReset(&gatehouse.RootPasswordReset{AccountID: "999999999999", CodeHash: "h", ExpiresAt: at(1)})
				}, gatehouse.CodeNotFound},
			})
		}},
		{"DeleteRootSessions", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			signIn := newSession("ASIAROOTSIGNIN000001", 3600)
			signIn.SignIn = true
			tokenSession := newSession("ASIAROOTTOKEN0000001", 3600)
			other := newSession("ASIAOTHERACCOUNT0001", 3600)
			other.AccountID = acct2
			other.SignIn = true
			role := fullSession()
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, x := range []*gatehouse.Session{signIn, tokenSession, other, role} {
					if err := tx.CreateSession(x); err != nil {
						return err
					}
				}
				return nil
			})
			exists := func(id string) bool {
				var found bool
				mustView(t, s, func(tx gatehouse.Tx) error {
					_, err := tx.Session(id)
					found = err == nil
					if err != nil && gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
						return err
					}
					return nil
				})
				return found
			}
			before := mustRevision(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				n, err := tx.DeleteRootSessions(acct1, true)
				if n != 1 {
					t.Errorf("deleted %d sign-in sessions, want 1", n)
				}
				return err
			})
			if after := mustRevision(t, s); after == before {
				t.Error("deleting sessions did not move the revision")
			}
			if exists(signIn.AccessKeyID) || !exists(tokenSession.AccessKeyID) || !exists(other.AccessKeyID) || !exists(role.AccessKeyID) {
				t.Fatal("sign-in only: wrong sessions deleted")
			}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				n, err := tx.DeleteRootSessions(acct1, false)
				if n != 1 {
					t.Errorf("deleted %d root sessions, want 1", n)
				}
				return err
			})
			if exists(tokenSession.AccessKeyID) || !exists(other.AccessKeyID) || !exists(role.AccessKeyID) {
				t.Fatal("all root sessions: wrong sessions deleted")
			}
		}},
		{"PerAccount", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				return tx.PutRootPasswordReset(&gatehouse.RootPasswordReset{AccountID: acct1, CodeHash: "h", ExpiresAt: at(5)})
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.RootPasswordReset(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
	}
}

func normReset(r *gatehouse.RootPasswordReset) gatehouse.RootPasswordReset {
	n := *r
	n.CreatedAt, n.ExpiresAt = n.CreatedAt.UTC(), n.ExpiresAt.UTC()
	return n
}
