package storetest

import (
	"fmt"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// doc returns a distinct policy document.
func doc(i int) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket%d/*"}]}`, i)
}

func newPolicy(accountID, name string) *gatehouse.ManagedPolicy {
	return &gatehouse.ManagedPolicy{
		AccountID: accountID, Name: name, ID: id("ANPA", accountID, name), Path: "/",
		DefaultVersionID: "v1", NextVersion: 2, CreatedAt: at(20), UpdatedAt: at(20),
	}
}

func firstVersion(p *gatehouse.ManagedPolicy) *gatehouse.PolicyVersion {
	return &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: doc(1), CreatedAt: p.CreatedAt}
}

// seedPolicies creates the account's policies, each with version v1, and
// returns them.
func seedPolicies(t testing.TB, s gatehouse.Store, accountID string, names ...string) []*gatehouse.ManagedPolicy {
	t.Helper()
	var policies []*gatehouse.ManagedPolicy
	mustUpdate(t, s, func(tx gatehouse.Tx) error {
		for _, n := range names {
			p := newPolicy(accountID, n)
			if err := tx.CreatePolicy(p, firstVersion(p)); err != nil {
				return err
			}
			policies = append(policies, p)
		}
		return nil
	})
	return policies
}

func policyNames(policies []*gatehouse.ManagedPolicy) []string {
	names := []string{}
	for _, p := range policies {
		names = append(names, p.Name)
	}
	return names
}

func policyTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, s gatehouse.Store) {
			want := &gatehouse.ManagedPolicy{
				AccountID: acct1, Name: "ReadOnly", ID: "ANPAEXAMPLEREADONLY01", Path: "/team/a/",
				Description: "read only", DefaultVersionID: "v1", NextVersion: 2,
				CreatedAt: at(30), UpdatedAt: at(31),
				Tags: []gatehouse.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}},
			}
			v := &gatehouse.PolicyVersion{PolicyARN: want.ARN(), VersionID: "v1", Document: doc(7), CreatedAt: at(30)}
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreatePolicy(want, v) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				for _, arn := range []string{
					"arn:aws:iam::111111111111:policy/team/a/ReadOnly",
					"arn:aws:iam::111111111111:policy/team/a/readonly",
				} {
					got, err := tx.Policy(arn)
					if err != nil {
						return err
					}
					wantEqual(t, "policy "+arn, normPolicy(got), normPolicy(want))
				}
				gotV, err := tx.PolicyVersion(want.ARN(), "v1")
				if err != nil {
					return err
				}
				wantEqual(t, "version", normVersion(gotV), normVersion(v))
				return nil
			})
		}},
		{"AWSManagedNotStored", func(t *testing.T, s gatehouse.Store) {
			// AWS managed policies are served in front of the store
			// (package awsmanaged): it refuses to hold one.
			p := newPolicy(gatehouse.AWSManagedAccount, "ReadOnlyAccess")
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreatePolicy(p, firstVersion(p)); err == nil {
					t.Error("CreatePolicy of an AWS managed policy: no error")
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.Policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
				wantCode(t, err, gatehouse.CodeNotFound)
				own, err := tx.Policies(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "customer managed policies", policyNames(own), []string{})
				return nil
			})
		}},
		{"ListSortedIgnoringCase", func(t *testing.T, s gatehouse.Store) {
			seedPolicies(t, s, acct1, "zeta", "Beta", "alpha")
			seedPolicies(t, s, acct2, "other")
			mustView(t, s, func(tx gatehouse.Tx) error {
				policies, err := tx.Policies(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "policies", policyNames(policies), []string{"alpha", "Beta", "zeta"})
				return nil
			})
		}},
		{"Update", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p")[0]
			want := *p
			want.Description = "changed"
			want.DefaultVersionID = "v2"
			want.NextVersion = 3
			want.UpdatedAt = at(99)
			want.Tags = []gatehouse.Tag{{Key: "k", Value: "v"}}
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				if err := tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v2", Document: doc(2)}); err != nil {
					return err
				}
				return tx.UpdatePolicy(&want)
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Policy(p.ARN())
				if err != nil {
					return err
				}
				wantEqual(t, "policy", normPolicy(got), normPolicy(&want))
				return nil
			})
		}},
		{"DeleteRemovesVersions", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p", "q")[0]
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				return tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v2", Document: doc(2)})
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeletePolicy(p.ARN()) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				_, err := tx.Policy(p.ARN())
				wantCode(t, err, gatehouse.CodeNotFound)
				policies, err := tx.Policies(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "policies", policyNames(policies), []string{"q"})
				return nil
			})
			// A new policy under the old name has only its own version.
			again := newPolicy(acct1, "p")
			again.ID = "ANPAAGAIN"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.CreatePolicy(again, firstVersion(again)) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				versions, err := tx.PolicyVersions(again.ARN())
				if err != nil {
					return err
				}
				if len(versions) != 1 || versions[0].VersionID != "v1" {
					t.Errorf("versions of a recreated policy = %s, want only v1", show(versions))
				}
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p")[0]
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error {
					q := newPolicy(acct1, "P")
					q.ID, q.Path = "ANPAOTHER", "/elsewhere/"
					return tx.CreatePolicy(q, firstVersion(q))
				}, gatehouse.CodeAlreadyExists},
				{"CreateDuplicateID", func(tx gatehouse.Tx) error {
					q := newPolicy(acct1, "q")
					q.ID = p.ID
					return tx.CreatePolicy(q, firstVersion(q))
				}, gatehouse.CodeAlreadyExists},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.Policy("arn:aws:iam::111111111111:policy/nope"); return err },
					gatehouse.CodeNotFound},
				{"GetWrongPath", func(tx gatehouse.Tx) error { _, err := tx.Policy("arn:aws:iam::111111111111:policy/x/p"); return err },
					gatehouse.CodeNotFound},
				{"GetWrongAccount", func(tx gatehouse.Tx) error { _, err := tx.Policy("arn:aws:iam::222222222222:policy/p"); return err },
					gatehouse.CodeNotFound},
				{"GetMalformedARN", func(tx gatehouse.Tx) error { _, err := tx.Policy("not-an-arn"); return err },
					gatehouse.CodeNotFound},
				{"UpdateUnknown", func(tx gatehouse.Tx) error { return tx.UpdatePolicy(newPolicy(acct1, "nope")) },
					gatehouse.CodeNotFound},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeletePolicy("arn:aws:iam::111111111111:policy/nope") },
					gatehouse.CodeNotFound},
			})
		}},
	}
}

func versionIDs(versions []*gatehouse.PolicyVersion) []string {
	ids := []string{}
	for _, v := range versions {
		ids = append(ids, v.VersionID)
	}
	return ids
}

func policyVersionTests() []test {
	return []test{
		{"NewestFirst", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p")[0]
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				// v10 is newer than v9 although it sorts before it as text.
				for i := 2; i <= 10; i++ {
					v := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: fmt.Sprintf("v%d", i), Document: doc(i), CreatedAt: at(20 + i)}
					if err := tx.CreatePolicyVersion(v); err != nil {
						return err
					}
				}
				return nil
			})
			mustView(t, s, func(tx gatehouse.Tx) error {
				versions, err := tx.PolicyVersions(p.ARN())
				if err != nil {
					return err
				}
				wantEqual(t, "versions", versionIDs(versions), []string{"v10", "v9", "v8", "v7", "v6", "v5", "v4", "v3", "v2", "v1"})
				want := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v10", Document: doc(10), CreatedAt: at(30)}
				wantEqual(t, "newest version", normVersion(versions[0]), normVersion(want))
				return nil
			})
		}},
		{"Delete", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p")[0]
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, v := range []string{"v2", "v3"} {
					if err := tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: v, Document: doc(2)}); err != nil {
						return err
					}
				}
				return nil
			})
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.DeletePolicyVersion(p.ARN(), "v2") })
			mustView(t, s, func(tx gatehouse.Tx) error {
				versions, err := tx.PolicyVersions(p.ARN())
				if err != nil {
					return err
				}
				wantEqual(t, "versions", versionIDs(versions), []string{"v3", "v1"})
				_, err = tx.PolicyVersion(p.ARN(), "v2")
				wantCode(t, err, gatehouse.CodeNotFound)
				return nil
			})
		}},
		{"Errors", func(t *testing.T, s gatehouse.Store) {
			p := seedPolicies(t, s, acct1, "p")[0]
			unknown := "arn:aws:iam::111111111111:policy/nope"
			runErrorCases(t, s, []errorCase{
				{"CreateDuplicate", func(tx gatehouse.Tx) error {
					return tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: doc(3)})
				}, gatehouse.CodeAlreadyExists},
				{"CreateForUnknownPolicy", func(tx gatehouse.Tx) error {
					return tx.CreatePolicyVersion(&gatehouse.PolicyVersion{PolicyARN: unknown, VersionID: "v1", Document: doc(3)})
				}, gatehouse.CodeNotFound},
				{"GetUnknown", func(tx gatehouse.Tx) error { _, err := tx.PolicyVersion(p.ARN(), "v9"); return err },
					gatehouse.CodeNotFound},
				{"GetOfUnknownPolicy", func(tx gatehouse.Tx) error { _, err := tx.PolicyVersion(unknown, "v1"); return err },
					gatehouse.CodeNotFound},
				{"ListOfUnknownPolicy", func(tx gatehouse.Tx) error { _, err := tx.PolicyVersions(unknown); return err },
					gatehouse.CodeNotFound},
				{"DeleteUnknown", func(tx gatehouse.Tx) error { return tx.DeletePolicyVersion(p.ARN(), "v9") },
					gatehouse.CodeNotFound},
			})
		}},
	}
}
