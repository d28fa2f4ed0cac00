package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func newLoginProfile(accountID, user string) *gatehouse.LoginProfile {
	return &gatehouse.LoginProfile{AccountID: accountID, UserName: user, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + user,
		PasswordResetRequired: true, CreatedAt: at(10), PasswordChangedAt: at(11)}
}

func loginProfileTests() []test {
	return []test{
		{"CreateGetUpdateDelete", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			seedUsers(t, s, acct1, "alice", "bob")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "alice")) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.LoginProfile(acct1, "ALICE") // names ignore case
				if err != nil {
					return err
				}
				wantEqual(t, "profile", got, newLoginProfile(acct1, "alice"))
				_, err = tx.LoginProfile(acct1, "bob")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			next := newLoginProfile(acct1, "alice")
			next.PasswordHash, next.PasswordResetRequired, next.PasswordChangedAt = "new-hash", false, at(20)
			next.History = []string{"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$alice"}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateLoginProfile(next) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.LoginProfile(acct1, "alice")
				if err != nil {
					return err
				}
				wantEqual(t, "updated profile", got, next)
				return nil
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteLoginProfile(acct1, "alice") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.LoginProfile(acct1, "alice")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			seedUsers(t, s, acct1, "alice", "bob")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "alice")) })
			runErrorCases(t, s, []errorCase{
				{"CreateTwice", func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "Alice")) },
					gatehouse.CodeAlreadyExists},
				{"CreateUnknownUser", func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "carol")) },
					gatehouse.CodeNotFound},
				{"CreateOtherAccount", func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct2, "alice")) },
					gatehouse.CodeNotFound},
				{"UpdateNone", func(tx gatehouse.Tx) error { return tx.UpdateLoginProfile(newLoginProfile(acct1, "bob")) },
					gatehouse.CodeNotFound},
				{"DeleteNone", func(tx gatehouse.Tx) error { return tx.DeleteLoginProfile(acct1, "bob") }, gatehouse.CodeNotFound},
			})
			if err := s.View(t.Context(), func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "bob")) }); err == nil {
				t.Error("CreateLoginProfile inside View succeeded")
			}
		}},
		{"FollowsRenameAndDelete", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			seedUsers(t, s, acct1, "alice")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateLoginProfile(newLoginProfile(acct1, "alice")) })
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				u, err := tx.User(acct1, "alice")
				if err != nil {
					return err
				}
				u.Name = "alicia"
				return tx.UpdateUser("alice", u)
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.LoginProfile(acct1, "alicia")
				if err != nil {
					return err
				}
				if got.UserName != "alicia" || got.PasswordHash != newLoginProfile(acct1, "alice").PasswordHash {
					t.Errorf("after rename: %s", show(got))
				}
				return nil
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "alicia") })
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(newUser(acct1, "alicia")) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.LoginProfile(acct1, "alicia")
				wantCode(t, err, gatehouse.CodeNotFound) // a new user of the same name has no password
				return nil
			})
		}},
	}
}

func credentialReportTests() []test {
	return []test{
		{"PutGetReplace", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.CredentialReport(acct1)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			first := &gatehouse.CredentialReport{AccountID: acct1, GeneratedAt: at(1), Content: []byte("user,arn\n<root_account>,x\n")}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutCredentialReport(first) })
			second := &gatehouse.CredentialReport{AccountID: acct1, GeneratedAt: at(2), Content: []byte("user,arn\n")}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutCredentialReport(second) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.CredentialReport(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "report", got, second)
				_, err = tx.CredentialReport(acct2)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			runErrorCases(t, s, []errorCase{
				{"UnknownAccount", func(tx gatehouse.Tx) error {
					return tx.PutCredentialReport(&gatehouse.CredentialReport{AccountID: "999999999999", Content: []byte("x")})
				}, gatehouse.CodeNotFound},
			})
		}},
	}
}
