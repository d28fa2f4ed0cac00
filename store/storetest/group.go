package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func groupTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			want := &gatehouse.Group{AccountID: acct1, Name: "Admins", ID: "AGPAEXAMPLEADMINS0001", Path: "/ops/", CreatedAt: at(3)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreateGroup(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				for _, name := range []string{"Admins", "admins", "ADMINS"} {
					got, err := tx.Group(acct1, name)
					if err != nil {
						return err
					}
					wantEqual(t, "group "+name, normGroup(got), normGroup(want))
				}
				return nil
			})
		}},
		{"ListSortedIgnoringCase", func(t *testing.T, s gatehouse.Store) {
			seedGroups(t, s, acct1, "ops", "Dev", "admins")
			seedGroups(t, s, acct2, "other")
			mustView(t, s, func(tx gatehouse.Tx) error {
				groups, err := tx.Groups(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "groups", groupNames(groups), []string{"admins", "Dev", "ops"})
				return nil
			})
		}},
		{"Rename", func(t *testing.T, s gatehouse.Store) {
			seedGroups(t, s, acct1, "dev")
			want := newGroup(acct1, "Developers")
			want.ID, want.Path = id("AGPA", acct1, "dev"), "/eng/"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.UpdateGroup("DEV", want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Group(acct1, "developers")
				if err != nil {
					return err
				}
				wantEqual(t, "renamed group", normGroup(got), normGroup(want))
				_, err = tx.Group(acct1, "dev")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			seedGroups(t, s, acct1, "dev", "ops")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteGroup(acct1, "Dev") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				groups, err := tx.Groups(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "groups", groupNames(groups), []string{"ops"})
				return nil
			})
			seedGroups(t, s, acct1, "dev")
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedGroups(t, s, acct1, "dev", "ops")
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicateOtherCase", func(tx gatehouse.Tx) error {
					g := newGroup(acct1, "DEV")
					g.ID = "AGPAOTHER"
					return tx.CreateGroup(g)
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateID", func(tx gatehouse.Tx) error {
					g := newGroup(acct1, "qa")
					g.ID = id("AGPA", acct1, "dev")
					return tx.CreateGroup(g)
				}, gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.Group(acct1, "nobody"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdateGroup("nobody", newGroup(acct1, "x")) },
					gatehouse.CodeNotFound},
				{"RenameOntoExisting", func(tx gatehouse.Tx) error {
					g := newGroup(acct1, "OPS")
					g.ID = id("AGPA", acct1, "dev")
					return tx.UpdateGroup("dev", g)
				}, gatehouse.CodeAlreadyExists},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteGroup(acct1, "nobody") },
					gatehouse.CodeNotFound},
			})
		}},
	}
}

// wantMembers checks both directions of group membership.
func wantMembers(t *testing.T, s gatehouse.Store, group string, members []string) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		users, err := tx.GroupMembers(acct1, group)
		if err != nil {
			return err
		}
		wantEqual(t, "members of "+group, userNames(users), members)
		return nil
	})
}

func wantGroupsFor(t *testing.T, s gatehouse.Store, user string, groups []string) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		got, err := tx.GroupsForUser(acct1, user)
		if err != nil {
			return err
		}
		wantEqual(t, "groups of "+user, groupNames(got), groups)
		return nil
	})
}

func membershipTests() []test {
	return []test{
		{"AddBothDirections", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "carol", "Bob", "alice")
			seedGroups(t, s, acct1, "ops", "Dev")
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, m := range [][2]string{{"dev", "CAROL"}, {"Dev", "alice"}, {"DEV", "bob"}, {"ops", "alice"}} {
					if err := tx.AddUserToGroup(acct1, m[0], m[1]); err != nil {
						return err
					}
				}
				return nil
			})
			wantMembers(t, s, "dev", []string{"alice", "Bob", "carol"})
			wantMembers(t, s, "ops", []string{"alice"})
			wantGroupsFor(t, s, "alice", []string{"Dev", "ops"})
			wantGroupsFor(t, s, "carol", []string{"Dev"})
			mustView(t, s, func(tx gatehouse.Tx) error {
				users, err := tx.GroupMembers(acct1, "ops")
				if err != nil {
					return err
				}
				wantEqual(t, "member", normUsers(users), normUsers([]*gatehouse.User{newUser(acct1, "alice")}))
				return nil
			})
		}},
		{"AddIsIdempotent", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			for range 2 {
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "dev", "alice") })
			}
			wantMembers(t, s, "dev", []string{"alice"})
		}},
		{"Remove", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			seedGroups(t, s, acct1, "dev")
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.AddUserToGroup(acct1, "dev", "alice"); err != nil {
					return err
				}
				return tx.AddUserToGroup(acct1, "dev", "bob")
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.RemoveUserFromGroup(acct1, "DEV", "Alice") })
			wantMembers(t, s, "dev", []string{"bob"})
			wantGroupsFor(t, s, "alice", []string{})
		}},
		{"RenamesKeepMembership", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "dev", "alice") })
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				u := newUser(acct1, "alicia")
				u.ID = id("AIDA", acct1, "alice")
				if err := tx.UpdateUser("alice", u); err != nil {
					return err
				}
				g := newGroup(acct1, "developers")
				g.ID = id("AGPA", acct1, "dev")
				return tx.UpdateGroup("dev", g)
			})
			wantMembers(t, s, "developers", []string{"alicia"})
			wantGroupsFor(t, s, "alicia", []string{"developers"})
		}},
		{"DeletesEndMembership", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			seedGroups(t, s, acct1, "dev", "ops")
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, m := range [][2]string{{"dev", "alice"}, {"dev", "bob"}, {"ops", "bob"}} {
					if err := tx.AddUserToGroup(acct1, m[0], m[1]); err != nil {
						return err
					}
				}
				return nil
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteUser(acct1, "alice") })
			wantMembers(t, s, "dev", []string{"bob"})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteGroup(acct1, "ops") })
			wantGroupsFor(t, s, "bob", []string{"dev"})
			// A new user or group under an old name starts without memberships.
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "ops")
			wantGroupsFor(t, s, "alice", []string{})
			wantMembers(t, s, "ops", []string{})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			seedUsers(t, s, acct2, "eve")
			seedGroups(t, s, acct1, "dev")
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "dev", "alice") })
			runErrorCases(t, s, []errorCase{
				{"AddUnknownUser", func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "dev", "nobody") },
					gatehouse.CodeNotFound},
				{"AddUserOfOtherAccount", func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "dev", "eve") },
					gatehouse.CodeNotFound},
				{"AddToUnknownGroup", func(tx gatehouse.Tx) error { return tx.AddUserToGroup(acct1, "nogroup", "alice") },
					gatehouse.CodeNotFound},
				{"RemoveNonMember", func(tx gatehouse.Tx) error { return tx.RemoveUserFromGroup(acct1, "dev", "bob") },
					gatehouse.CodeNotFound},
				{"RemoveUnknownUser", func(tx gatehouse.Tx) error { return tx.RemoveUserFromGroup(acct1, "dev", "nobody") },
					gatehouse.CodeNotFound},
				{"MembersOfUnknownGroup", func(tx gatehouse.Tx) error { _, err := tx.GroupMembers(acct1, "nogroup"); return err },
					gatehouse.CodeNotFound},
				{"GroupsOfUnknownUser", func(tx gatehouse.Tx) error { _, err := tx.GroupsForUser(acct1, "nobody"); return err },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
