package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// fullUser returns a user with every field set.
func fullUser() *gatehouse.User {
	return &gatehouse.User{
		AccountID:           acct1,
		Name:                "Alice",
		ID:                  "AIDAEXAMPLEALICE00001",
		Path:                "/engineering/",
		CreatedAt:           at(10),
		PermissionsBoundary: "arn:aws:iam::111111111111:policy/boundary",
		Tags:                []gatehouse.Tag{{Key: "team", Value: "core"}, {Key: "Cost-Center", Value: ""}, {Key: "a", Value: "z"}},
	}
}

func userTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			want := fullUser()
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.User(acct1, "Alice")
				if err != nil {
					return err
				}
				wantEqual(t, "user", normUser(got), normUser(want))
				return nil
			})
		}},
		{"GetIgnoresCase", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(fullUser()) })
			for _, name := range []string{"alice", "ALICE", "aLiCe"} {
				mustView(t, s, func(tx gatehouse.Tx) error {
					got, err := tx.User(acct1, name)
					if err != nil {
						return err
					}
					if got.Name != "Alice" {
						t.Errorf("User(%q).Name = %q, want the stored spelling Alice", name, got.Name)
					}
					return nil
				})
			}
		}},
		{"SameNameOtherAccount", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "bob")
			seedUsers(t, s, acct2, "bob")
			mustView(t, s, func(tx gatehouse.Tx) error {
				u, err := tx.User(acct2, "bob")
				if err != nil {
					return err
				}
				if u.AccountID != acct2 || u.ID != id("AIDA", acct2, "bob") {
					t.Errorf("User(acct2, bob) = %s", show(u))
				}
				return nil
			})
		}},
		{"ListSortedIgnoringCase", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "carol", "Bob", "alice", "Dave")
			seedUsers(t, s, acct2, "eve")
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "users", userNames(users), []string{"alice", "Bob", "carol", "Dave"})
				none, err := tx.Users("999999999999")
				if err != nil {
					return err
				}
				wantEqual(t, "users of an account without any", userNames(none), []string{})
				return nil
			})
		}},
		{"UpdateFields", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(fullUser()) })
			want := fullUser()
			want.Path = "/ops/"
			want.PermissionsBoundary = ""
			want.Tags = []gatehouse.Tag{{Key: "z", Value: "1"}, {Key: "team", Value: "ops"}}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateUser("alice", want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.User(acct1, "Alice")
				if err != nil {
					return err
				}
				wantEqual(t, "user", normUser(got), normUser(want))
				return nil
			})
		}},
		{"Rename", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateUser(fullUser()) })
			renamed := fullUser()
			renamed.Name = "alice2"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateUser("Alice", renamed) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.User(acct1, "ALICE2")
				if err != nil {
					return err
				}
				// The ID and the creation time survive a rename.
				wantEqual(t, "renamed user", normUser(got), normUser(renamed))
				_, err = tx.User(acct1, "Alice")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"RenameCaseOnly", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			u := newUser(acct1, "ALICE")
			u.ID = id("AIDA", acct1, "alice")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateUser("alice", u) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "users", userNames(users), []string{"ALICE"})
				return nil
			})
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "ALICE") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.User(acct1, "alice")
				wantCode(t, err, gatehouse.CodeNotFound)
				users, err := tx.Users(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "users", userNames(users), []string{"bob"})
				return nil
			})
			// The name is free again.
			seedUsers(t, s, acct1, "alice")
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error {
					u := newUser(acct1, "alice")
					u.ID = "AIDAOTHER"
					return tx.CreateUser(u)
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateOtherCase", func(tx gatehouse.Tx) error {
					u := newUser(acct1, "ALICE")
					u.ID = "AIDAOTHER"
					return tx.CreateUser(u)
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateID", func(tx gatehouse.Tx) error {
					u := newUser(acct1, "carol")
					u.ID = id("AIDA", acct1, "alice")
					return tx.CreateUser(u)
				}, gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.User(acct1, "nobody"); return err },
					gatehouse.CodeNotFound},
				{"GetOtherAccount", func(tx gatehouse.Tx) error { _, err := tx.User(acct2, "alice"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateUser("nobody", newUser(acct1, "nobody")) },
					gatehouse.CodeNotFound},
				{"RenameOntoExisting", func(tx gatehouse.Tx) error {
					u := newUser(acct1, "Bob")
					u.ID = id("AIDA", acct1, "alice")
					return tx.UpdateUser("alice", u)
				}, gatehouse.CodeAlreadyExists},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "nobody") },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
