package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// trustPolicy is a role trust policy document that trusts the account.
func trustPolicy(accountID string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		accountID + `:root"},"Action":"sts:AssumeRole"}]}`
}

func newRole(accountID, name string) *gatehouse.Role {
	return &gatehouse.Role{
		AccountID: accountID, Name: name, ID: id("AROA", accountID, name), Path: "/",
		AssumeRolePolicy: trustPolicy(accountID), MaxSessionDuration: gatehouse.DefaultMaxSessionDuration, CreatedAt: at(4),
	}
}

// fullRole returns a role with every field set.
func fullRole() *gatehouse.Role {
	lastUsed := at(50)
	return &gatehouse.Role{
		AccountID:        acct1,
		Name:             "Deployer",
		ID:               "AROAEXAMPLEDEPLOYER01",
		Path:             "/ci/",
		AssumeRolePolicy: trustPolicy(acct2),
		TrustBindings: map[string]string{
			"arn:aws:iam::" + acct2 + ":user/ops":     "AIDAEXAMPLEOPS000001",
			"arn:aws:iam::" + acct2 + ":role/x/admin": "AROAEXAMPLEADMIN0001",
		},
		Description:         "deploys from CI; 'quoted' \"text\"",
		MaxSessionDuration:  43200,
		PermissionsBoundary: "arn:aws:iam::111111111111:policy/boundary",
		CreatedAt:           at(40),
		Tags:                []gatehouse.Tag{{Key: "team", Value: "ci"}, {Key: "Env", Value: ""}},
		LastUsed:            &lastUsed,
	}
}

func roleRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: name}
}

// seedRoles creates the account's roles with the given names.
func seedRoles(t testing.TB, s gatehouse.Store, accountID string, names ...string) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, n := range names {
			if err := tx.CreateRole(newRole(accountID, n)); err != nil {
				return err
			}
		}
		return nil
	})
}

// renameRole renames the account's role oldName, created by seedRoles,
// to newName.
func renameRole(tx gatehouse.Tx, oldName, newName string) error {
	r := newRole(acct1, newName)
	r.ID = id("AROA", acct1, oldName)
	return tx.UpdateRole(oldName, r)
}

func normRole(r *gatehouse.Role) gatehouse.Role {
	n := *r
	n.CreatedAt = n.CreatedAt.UTC()
	n.Tags = normTags(n.Tags)
	if n.LastUsed != nil {
		lastUsed := n.LastUsed.UTC()
		n.LastUsed = &lastUsed
	}
	return n
}

func roleNames(roles []*gatehouse.Role) []string {
	names := []string{}
	for _, r := range roles {
		names = append(names, r.Name)
	}
	return names
}

// wantRole fails t unless the account's role name is want.
func wantRole(t testing.TB, s gatehouse.Store, name string, want *gatehouse.Role) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		got, err := tx.Role(want.AccountID, name)
		if err != nil {
			return err
		}
		wantEqual(t, "role "+name, normRole(got), normRole(want))
		return nil
	})
}

func wantRoles(t testing.TB, s gatehouse.Store, accountID string, names []string) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		roles, err := tx.Roles(accountID)
		if err != nil {
			return err
		}
		wantEqual(t, "roles of "+accountID, roleNames(roles), names)
		return nil
	})
}

func roleTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			want := fullRole()
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(want) })
			wantRole(t, s, "Deployer", want)
		}},
		{"NeverUsed", func(t *testing.T, s gatehouse.Store) {
			want := newRole(acct1, "fresh")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(want) })
			wantRole(t, s, "fresh", want)
		}},
		{"StampsCreatedAt", func(t *testing.T, s gatehouse.Store) {
			r := newRole(acct1, "stamped")
			r.CreatedAt = time.Time{}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(r) })
			if r.CreatedAt.IsZero() {
				t.Fatal("CreateRole left a zero CreatedAt")
			}
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Role(acct1, "stamped")
				if err != nil {
					return err
				}
				if !got.CreatedAt.Equal(r.CreatedAt) {
					t.Errorf("stored CreatedAt %v, CreateRole set %v", got.CreatedAt, r.CreatedAt)
				}
				return nil
			})
		}},
		{"GetIgnoresCase", func(t *testing.T, s gatehouse.Store) {
			want := fullRole()
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(want) })
			for _, name := range []string{"deployer", "DEPLOYER", "dEpLoYeR"} {
				wantRole(t, s, name, want)
			}
		}},
		{"SameNameOtherAccount", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			seedRoles(t, s, acct2, "admin")
			wantRole(t, s, "admin", newRole(acct1, "admin"))
			wantRole(t, s, "admin", newRole(acct2, "admin"))
		}},
		{"ListSortedIgnoringCase", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "ops", "Deploy", "admin", "Backup")
			seedRoles(t, s, acct2, "other")
			wantRoles(t, s, acct1, []string{"admin", "Backup", "Deploy", "ops"})
			wantRoles(t, s, "999999999999", []string{})
		}},
		{"UpdateFields", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(newRole(acct1, "Deployer")) })
			want := fullRole()
			want.ID = id("AROA", acct1, "Deployer")
			want.CreatedAt = at(4)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateRole("deployer", want) })
			wantRole(t, s, "Deployer", want)

			// Clearing fields, the last use included.
			cleared := newRole(acct1, "Deployer")
			cleared.MaxSessionDuration = 7200
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateRole("Deployer", cleared) })
			wantRole(t, s, "Deployer", cleared)
		}},
		{"Rename", func(t *testing.T, s gatehouse.Store) {
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateRole(fullRole()) })
			renamed := fullRole()
			renamed.Name, renamed.Path = "Releaser", "/release/"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateRole("DEPLOYER", renamed) })
			// The ID and the creation time survive a rename.
			wantRole(t, s, "releaser", renamed)
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Role(acct1, "Deployer"); return err })
			wantCode(t, err, gatehouse.CodeNotFound)
			// The old name is free again.
			seedRoles(t, s, acct1, "Deployer")
		}},
		{"RenameCaseOnly", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return renameRole(tx, "admin", "Admin") })
			wantRoles(t, s, acct1, []string{"Admin"})
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin", "ops")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "ADMIN") })
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Role(acct1, "admin"); return err })
			wantCode(t, err, gatehouse.CodeNotFound)
			wantRoles(t, s, acct1, []string{"ops"})
			// The name is free again.
			seedRoles(t, s, acct1, "admin")
		}},
		{"NamesApartFromUsersAndGroups", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "shared")
			seedGroups(t, s, acct1, "shared")
			seedRoles(t, s, acct1, "shared")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "shared") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				if _, err := tx.User(acct1, "shared"); err != nil {
					return err
				}
				_, err := tx.Group(acct1, "shared")
				return err
			})
		}},
		{"ErrorMessages", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			err := s.View(t.Context(), func(tx gatehouse.Tx) error { _, err := tx.Role(acct1, "nobody"); return err })
			wantMessage(t, err, "The role with name nobody cannot be found.")
			err = s.Update(t.Context(), func(tx gatehouse.Tx) error {
				r := newRole(acct1, "ADMIN")
				r.ID = "AROAOTHER"
				return tx.CreateRole(r)
			})
			wantMessage(t, err, "Role with name ADMIN already exists.")
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin", "ops")
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error {
					r := newRole(acct1, "admin")
					r.ID = "AROAOTHER"
					return tx.CreateRole(r)
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateOtherCase", func(tx gatehouse.Tx) error {
					r := newRole(acct1, "ADMIN")
					r.ID = "AROAOTHER"
					return tx.CreateRole(r)
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateID", func(tx gatehouse.Tx) error {
					r := newRole(acct1, "qa")
					r.ID = id("AROA", acct1, "admin")
					return tx.CreateRole(r)
				}, gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.Role(acct1, "nobody"); return err },
					gatehouse.CodeNotFound},
				{"GetOtherAccount", func(tx gatehouse.Tx) error { _, err := tx.Role(acct2, "admin"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateRole("nobody", newRole(acct1, "nobody")) },
					gatehouse.CodeNotFound},
				{"UpdateOtherAccount", func(tx gatehouse.Tx) error { return tx.UpdateRole("admin", newRole(acct2, "admin")) },
					gatehouse.CodeNotFound},
				{"RenameOntoExisting", func(tx gatehouse.Tx) error { return renameRole(tx, "admin", "Ops") },
					gatehouse.CodeAlreadyExists},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "nobody") },
					gatehouse.CodeNotFound},
				{"DeleteOtherAccount", func(tx gatehouse.Tx) error { return tx.DeleteRole(acct2, "admin") },
					gatehouse.CodeNotFound},
			})
			wantRoles(t, s, acct1, []string{"admin", "ops"})
		}},
		{"ViewIsReadOnly", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			for name, fn := range map[string]func(tx gatehouse.Tx) error{
				"CreateRole": func(tx gatehouse.Tx) error { return tx.CreateRole(newRole(acct1, "ghost")) },
				"UpdateRole": func(tx gatehouse.Tx) error { return renameRole(tx, "admin", "ghost") },
				"DeleteRole": func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "admin") },
			} {
				if err := s.View(t.Context(), fn); err == nil {
					t.Errorf("%s inside View succeeded", name)
				}
			}
			wantRoles(t, s, acct1, []string{"admin"})
		}},
		{"RevisionMoves", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			p := seedPolicies(t, s, acct1, "p")[0]
			for _, step := range []struct {
				name string
				fn   func(tx gatehouse.Tx) error
			}{
				{"CreateRole", func(tx gatehouse.Tx) error { return tx.CreateRole(newRole(acct1, "ops")) }},
				{"UpdateRole", func(tx gatehouse.Tx) error { return renameRole(tx, "ops", "operators") }},
				{"AttachPolicy", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("admin"), p.ARN()) }},
				{"DetachPolicy", func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, roleRef("admin"), p.ARN()) }},
				{"PutInlinePolicy", func(tx gatehouse.Tx) error { return tx.PutInlinePolicy(inline(roleRef("admin"), "i", 1)) }},
				{"DeleteInlinePolicy", func(tx gatehouse.Tx) error { return tx.DeleteInlinePolicy(acct1, roleRef("admin"), "i") }},
				{"DeleteRole", func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "admin") }},
			} {
				before := mustRevision(t, s)
				mustUpdate(t, s, step.fn)
				if after := mustRevision(t, s); after <= before {
					t.Errorf("%s: revision %d after the update, was %d", step.name, after, before)
				}
			}
		}},
	}
}
