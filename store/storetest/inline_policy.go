package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// ownerKind is what the inline policy tests need to know about one kind
// of policy owner.
type ownerKind struct {
	label  string // prefix of the test names
	kind   gatehouse.EntityKind
	create func(t testing.TB, s gatehouse.Store, accountID, name string)
	rename func(tx gatehouse.Tx, oldName, newName string) error
	delete func(tx gatehouse.Tx, name string) error
}

func ownerKinds() []ownerKind {
	return []ownerKind{
		{
			label: "User",
			kind:  gatehouse.KindUser,
			create: func(t testing.TB, s gatehouse.Store, accountID, name string) {
				t.Helper()
				seedUsers(t, s, accountID, name)
			},
			rename: func(tx gatehouse.Tx, oldName, newName string) error {
				u := newUser(acct1, newName)
				u.ID = id("AIDA", acct1, oldName)
				return tx.UpdateUser(oldName, u)
			},
			delete: func(tx gatehouse.Tx, name string) error { return tx.DeleteUser(acct1, name) },
		},
		{
			label: "Group",
			kind:  gatehouse.KindGroup,
			create: func(t testing.TB, s gatehouse.Store, accountID, name string) {
				t.Helper()
				seedGroups(t, s, accountID, name)
			},
			rename: func(tx gatehouse.Tx, oldName, newName string) error {
				g := newGroup(acct1, newName)
				g.ID = id("AGPA", acct1, oldName)
				return tx.UpdateGroup(oldName, g)
			},
			delete: func(tx gatehouse.Tx, name string) error { return tx.DeleteGroup(acct1, name) },
		},
		{
			label: "Role",
			kind:  gatehouse.KindRole,
			create: func(t testing.TB, s gatehouse.Store, accountID, name string) {
				t.Helper()
				seedRoles(t, s, accountID, name)
			},
			rename: renameRole,
			delete: func(tx gatehouse.Tx, name string) error { return tx.DeleteRole(acct1, name) },
		},
	}
}

func inline(owner gatehouse.EntityRef, name string, i int) *gatehouse.InlinePolicy {
	return &gatehouse.InlinePolicy{AccountID: acct1, Owner: owner, Name: name, Document: doc(i)}
}

func inlinePolicyTests() []test {
	var tests []test
	for _, k := range ownerKinds() {
		ref := func(name string) gatehouse.EntityRef { return gatehouse.EntityRef{Kind: k.kind, Name: name} }
		put := func(t *testing.T, s gatehouse.Store, ps ...*gatehouse.InlinePolicy) {
			t.Helper()
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, p := range ps {
					if err := tx.PutInlinePolicy(p); err != nil {
						return err
					}
				}
				return nil
			})
		}
		list := func(t *testing.T, s gatehouse.Store, owner string) []gatehouse.InlinePolicy {
			t.Helper()
			out := []gatehouse.InlinePolicy{}
			mustView(t, s, func(tx gatehouse.Tx) error {
				ps, err := tx.InlinePolicies(acct1, ref(owner))
				if err != nil {
					return err
				}
				for _, p := range ps {
					out = append(out, *p)
				}
				return nil
			})
			return out
		}
		prefix := k.label
		tests = append(tests,
			test{prefix + "PutGetList", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				k.create(t, s, acct1, "other")
				put(t, s, inline(ref("owner"), "b", 1), inline(ref("OWNER"), "a", 2), inline(ref("other"), "c", 3))
				mustView(t, s, func(tx gatehouse.Tx) error {
					got, err := tx.InlinePolicy(acct1, ref("Owner"), "b")
					if err != nil {
						return err
					}
					wantEqual(t, "inline policy", *got, *inline(ref("owner"), "b", 1))
					return nil
				})
				wantEqual(t, "inline policies", list(t, s, "owner"),
					[]gatehouse.InlinePolicy{*inline(ref("owner"), "a", 2), *inline(ref("owner"), "b", 1)})
			}},
			test{prefix + "Replace", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				put(t, s, inline(ref("owner"), "p", 1))
				put(t, s, inline(ref("owner"), "p", 2))
				wantEqual(t, "inline policies", list(t, s, "owner"), []gatehouse.InlinePolicy{*inline(ref("owner"), "p", 2)})
			}},
			test{prefix + "Delete", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				put(t, s, inline(ref("owner"), "p", 1), inline(ref("owner"), "q", 2))
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteInlinePolicy(acct1, ref("owner"), "p") })
				wantEqual(t, "inline policies", list(t, s, "owner"), []gatehouse.InlinePolicy{*inline(ref("owner"), "q", 2)})
			}},
			test{prefix + "RenameKeepsPolicies", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				put(t, s, inline(ref("owner"), "p", 1))
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return k.rename(tx, "owner", "renamed") })
				wantEqual(t, "inline policies", list(t, s, "renamed"), []gatehouse.InlinePolicy{*inline(ref("renamed"), "p", 1)})
			}},
			test{prefix + "DeleteOwnerRemovesPolicies", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				put(t, s, inline(ref("owner"), "p", 1))
				mustUpdate(t, s, func(tx gatehouse.Tx) error { return k.delete(tx, "owner") })
				k.create(t, s, acct1, "owner")
				wantEqual(t, "inline policies", list(t, s, "owner"), []gatehouse.InlinePolicy{})
			}},
			test{prefix + "Errors", func(t *testing.T, s gatehouse.Store) {
				k.create(t, s, acct1, "owner")
				k.create(t, s, acct2, "stranger")
				put(t, s, inline(ref("owner"), "p", 1))
				runErrorCases(t, s, []errorCase{
					{"PutForUnknownOwner", func(tx gatehouse.Tx) error { return tx.PutInlinePolicy(inline(ref("nobody"), "p", 1)) },
						gatehouse.CodeNotFound},
					{"PutForOtherAccountsOwner", func(tx gatehouse.Tx) error { return tx.PutInlinePolicy(inline(ref("stranger"), "p", 1)) },
						gatehouse.CodeNotFound},
					{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.InlinePolicy(acct1, ref("owner"), "nope"); return err },
						gatehouse.CodeNotFound},
					{"GetOfUnknownOwner", func(tx gatehouse.Tx) error { _, err := tx.InlinePolicy(acct1, ref("nobody"), "p"); return err },
						gatehouse.CodeNotFound},
					{"ListOfUnknownOwner", func(tx gatehouse.Tx) error { _, err := tx.InlinePolicies(acct1, ref("nobody")); return err },
						gatehouse.CodeNotFound},
					{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeleteInlinePolicy(acct1, ref("owner"), "nope") },
						gatehouse.CodeNotFound},
				})
			}},
		)
	}
	return tests
}
