package storetest

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func userRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: name}
}
func groupRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: name}
}

func wantAttached(t *testing.T, s gatehouse.Store, e gatehouse.EntityRef, arns []string) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		got, err := tx.AttachedPolicies(acct1, e)
		if err != nil {
			return err
		}
		if got == nil {
			got = []string{}
		}
		wantEqual(t, "policies attached to "+string(e.Kind)+" "+e.Name, got, arns)
		return nil
	})
}

func wantAttachments(t *testing.T, s gatehouse.Store, policyARN string, refs []gatehouse.EntityRef) {
	t.Helper()
	mustView(t, s, func(tx gatehouse.Tx) error {
		got, err := tx.PolicyAttachments(acct1, policyARN)
		if err != nil {
			return err
		}
		if got == nil {
			got = []gatehouse.EntityRef{}
		}
		wantEqual(t, "attachments of "+policyARN, got, refs)
		return nil
	})
}

// attach attaches each policy to each entity in one update.
func attach(t *testing.T, s gatehouse.Store, refs []gatehouse.EntityRef, arns ...string) {
	t.Helper()
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, e := range refs {
			for _, arn := range arns {
				if err := tx.AttachPolicy(acct1, e, arn); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func attachmentTests() []test {
	return []test{
		{"BothDirections", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "bob", "Alice")
			seedGroups(t, s, acct1, "dev")
			ps := seedPolicies(t, s, acct1, "b", "a")
			b, a := ps[0].ARN(), ps[1].ARN()
			attach(t, s, []gatehouse.EntityRef{userRef("bob"), userRef("alice"), groupRef("DEV")}, b, a)
			attach(t, s, []gatehouse.EntityRef{userRef("BOB")}, a) // idempotent
			wantAttached(t, s, userRef("bob"), []string{a, b})
			wantAttached(t, s, groupRef("dev"), []string{a, b})
			wantAttachments(t, s, a, []gatehouse.EntityRef{groupRef("dev"), userRef("Alice"), userRef("bob")})
		}},
		{"AWSManagedPolicy", func(t *testing.T, s gatehouse.Store) {
			// The store keeps attachments of AWS managed policies without
			// holding the policies (nor checking that they exist).
			const arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
			seedUsers(t, s, acct1, "alice")
			seedUsers(t, s, acct2, "alice")
			seedGroups(t, s, acct1, "dev")
			own := seedPolicies(t, s, acct1, "own")[0]
			attach(t, s, []gatehouse.EntityRef{userRef("alice"), groupRef("dev")}, arn, own.ARN())
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct2, userRef("alice"), arn) })
			wantAttached(t, s, userRef("alice"), []string{own.ARN(), arn})
			// Each account sees only its own entities.
			wantAttachments(t, s, arn, []gatehouse.EntityRef{groupRef("dev"), userRef("alice")})
			mustView(t, s, func(tx gatehouse.Tx) error {
				counts, err := tx.AttachmentCounts(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "attachment counts", counts, map[string]int{arn: 2, own.ARN(): 2})
				counts, err = tx.AttachmentCounts(acct2)
				if err != nil {
					return err
				}
				wantEqual(t, "other account's counts", counts, map[string]int{arn: 1})
				_, err = tx.Policy(arn)
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, userRef("ALICE"), arn) })
			wantAttached(t, s, userRef("alice"), []string{own.ARN()})
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				wantCode(t, tx.DetachPolicy(acct1, userRef("alice"), arn), gatehouse.CodeNotFound)
				return nil
			})
			// Deleting the entity removes its attachments.
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteGroup(acct1, "dev") })
			wantAttachments(t, s, arn, []gatehouse.EntityRef{})
		}},
		{"AWSManagedPolicyGovCloud", func(t *testing.T, s gatehouse.Store) {
			// Either partition's spelling names the same attachment, kept
			// and listed under the standard partition's ARN.
			const std, gov = "arn:aws:iam::aws:policy/job-function/Billing", "arn:aws-us-gov:iam::aws:policy/job-function/Billing"
			seedUsers(t, s, acct1, "alice")
			attach(t, s, []gatehouse.EntityRef{userRef("alice")}, gov, std)
			wantAttached(t, s, userRef("alice"), []string{std})
			wantAttachments(t, s, gov, []gatehouse.EntityRef{userRef("alice")})
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				wantCode(t, tx.AttachPolicy(acct1, userRef("alice"), "arn:aws-cn:iam::aws:policy/job-function/Billing"), gatehouse.CodeNotFound)
				return tx.DetachPolicy(acct1, userRef("alice"), gov)
			})
			wantAttached(t, s, userRef("alice"), []string{})
		}},
		{"Detach", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			ps := seedPolicies(t, s, acct1, "a", "b")
			attach(t, s, []gatehouse.EntityRef{userRef("alice"), groupRef("dev")}, ps[0].ARN(), ps[1].ARN())
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.DetachPolicy(acct1, userRef("ALICE"), ps[0].ARN()); err != nil {
					return err
				}
				return tx.DetachPolicy(acct1, groupRef("dev"), ps[1].ARN())
			})
			wantAttached(t, s, userRef("alice"), []string{ps[1].ARN()})
			wantAttached(t, s, groupRef("dev"), []string{ps[0].ARN()})
		}},
		{"RenamesKeepAttachments", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			p := seedPolicies(t, s, acct1, "p")[0]
			attach(t, s, []gatehouse.EntityRef{userRef("alice"), groupRef("dev")}, p.ARN())
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
			wantAttached(t, s, userRef("alicia"), []string{p.ARN()})
			wantAttached(t, s, groupRef("developers"), []string{p.ARN()})
			wantAttachments(t, s, p.ARN(), []gatehouse.EntityRef{groupRef("developers"), userRef("alicia")})
		}},
		{"DeletesRemoveAttachments", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice", "bob")
			seedGroups(t, s, acct1, "dev")
			ps := seedPolicies(t, s, acct1, "p", "q")
			attach(t, s, []gatehouse.EntityRef{userRef("alice"), userRef("bob"), groupRef("dev")}, ps[0].ARN(), ps[1].ARN())
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.DeleteUser(acct1, "alice"); err != nil {
					return err
				}
				if err := tx.DeleteGroup(acct1, "dev"); err != nil {
					return err
				}
				return tx.DeletePolicy(ps[1].ARN())
			})
			wantAttachments(t, s, ps[0].ARN(), []gatehouse.EntityRef{userRef("bob")})
			wantAttached(t, s, userRef("bob"), []string{ps[0].ARN()})
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			wantAttached(t, s, userRef("alice"), []string{})
			wantAttached(t, s, groupRef("dev"), []string{})
		}},
		{"RoleBothDirections", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			seedRoles(t, s, acct1, "Deploy", "admin")
			seedRoles(t, s, acct2, "admin")
			ps := seedPolicies(t, s, acct1, "b", "a")
			b, a := ps[0].ARN(), ps[1].ARN()
			attach(t, s, []gatehouse.EntityRef{roleRef("deploy"), userRef("alice"), roleRef("ADMIN"), groupRef("dev")}, b, a)
			attach(t, s, []gatehouse.EntityRef{roleRef("Admin")}, a) // idempotent
			wantAttached(t, s, roleRef("admin"), []string{a, b})
			wantAttached(t, s, roleRef("DEPLOY"), []string{a, b})
			// Sorted by kind (group, role, user), then by name ignoring case.
			wantAttachments(t, s, a, []gatehouse.EntityRef{groupRef("dev"), roleRef("admin"), roleRef("Deploy"), userRef("alice")})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, roleRef("deploy"), a) })
			wantAttached(t, s, roleRef("Deploy"), []string{b})
			wantAttachments(t, s, a, []gatehouse.EntityRef{groupRef("dev"), roleRef("admin"), userRef("alice")})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.AttachedPolicies(acct2, roleRef("admin"))
				if err != nil {
					return err
				}
				wantEqual(t, "policies of the other account's role", len(got), 0)
				return nil
			})
		}},
		{"RoleAWSManagedPolicy", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			const arn = "arn:aws:iam::aws:policy/AdministratorAccess"
			attach(t, s, []gatehouse.EntityRef{roleRef("admin")}, arn)
			wantAttached(t, s, roleRef("admin"), []string{arn})
			wantAttachments(t, s, arn, []gatehouse.EntityRef{roleRef("admin")})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeleteRole(acct1, "admin") })
			wantAttachments(t, s, arn, []gatehouse.EntityRef{})
		}},
		{"RoleRenameKeepsAttachments", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "deploy")
			p := seedPolicies(t, s, acct1, "p")[0]
			attach(t, s, []gatehouse.EntityRef{roleRef("deploy")}, p.ARN())
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return renameRole(tx, "deploy", "Release") })
			wantAttached(t, s, roleRef("release"), []string{p.ARN()})
			wantAttachments(t, s, p.ARN(), []gatehouse.EntityRef{roleRef("Release")})
		}},
		{"RoleDeletesRemoveAttachments", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "deploy", "admin")
			ps := seedPolicies(t, s, acct1, "p", "q")
			attach(t, s, []gatehouse.EntityRef{roleRef("deploy"), roleRef("admin")}, ps[0].ARN(), ps[1].ARN())
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.DeleteRole(acct1, "deploy"); err != nil {
					return err
				}
				return tx.DeletePolicy(ps[1].ARN())
			})
			wantAttachments(t, s, ps[0].ARN(), []gatehouse.EntityRef{roleRef("admin")})
			wantAttached(t, s, roleRef("admin"), []string{ps[0].ARN()})
			// A new role of the same name starts without policies.
			seedRoles(t, s, acct1, "deploy")
			wantAttached(t, s, roleRef("deploy"), []string{})
			// So does a new policy of the same name.
			q := seedPolicies(t, s, acct1, "q")[0]
			wantAttachments(t, s, q.ARN(), []gatehouse.EntityRef{})
		}},
		{"RoleErrors", func(t *testing.T, s gatehouse.Store) {
			seedRoles(t, s, acct1, "admin")
			seedRoles(t, s, acct2, "stranger")
			p := seedPolicies(t, s, acct1, "p")[0]
			other := seedPolicies(t, s, acct2, "other")[0]
			unknown := "arn:aws:iam::111111111111:policy/nope"
			runErrorCases(t, s, []errorCase{
				{"AttachToUnknownRole", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("nobody"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"AttachToOtherAccountsRole", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("stranger"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"AttachUnknownPolicy", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("admin"), unknown) },
					gatehouse.CodeNotFound},
				{"AttachOtherAccountsPolicy", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("admin"), other.ARN()) },
					gatehouse.CodeNotFound},
				{"DetachNotAttached", func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, roleRef("admin"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"DetachFromUnknownRole", func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, roleRef("nobody"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"ListForUnknownRole", func(tx gatehouse.Tx) error { _, err := tx.AttachedPolicies(acct1, roleRef("nobody")); return err },
					gatehouse.CodeNotFound},
			})
			err := s.Update(t.Context(), func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, roleRef("nobody"), p.ARN()) })
			wantMessage(t, err, "The role with name nobody cannot be found.")
			wantAttached(t, s, roleRef("admin"), []string{})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			seedUsers(t, s, acct1, "alice")
			seedGroups(t, s, acct1, "dev")
			p := seedPolicies(t, s, acct1, "p")[0]
			other := seedPolicies(t, s, acct2, "other")[0]
			unknown := "arn:aws:iam::111111111111:policy/nope"
			runErrorCases(t, s, []errorCase{
				{"AttachUnknownPolicy", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, userRef("alice"), unknown) },
					gatehouse.CodeNotFound},
				{"AttachOtherAccountsPolicy", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, userRef("alice"), other.ARN()) },
					gatehouse.CodeNotFound},
				{"AttachToUnknownUser", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, userRef("nobody"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"AttachToUnknownGroup", func(tx gatehouse.Tx) error { return tx.AttachPolicy(acct1, groupRef("nogroup"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"DetachNotAttached", func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, userRef("alice"), p.ARN()) },
					gatehouse.CodeNotFound},
				{"DetachUnknownPolicy", func(tx gatehouse.Tx) error { return tx.DetachPolicy(acct1, groupRef("dev"), unknown) },
					gatehouse.CodeNotFound},
				{"ListForUnknownUser", func(tx gatehouse.Tx) error { _, err := tx.AttachedPolicies(acct1, userRef("nobody")); return err },
					gatehouse.CodeNotFound},
				{"AttachmentsOfUnknownPolicy", func(tx gatehouse.Tx) error { _, err := tx.PolicyAttachments(acct1, unknown); return err },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
