package authz_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// TestCheckTrustPolicy: with TrustPolicyOf, Check decides sts:AssumeRole
// by the trust policy of the role the ARN names, read from the store; an
// ARN that names no role, or spells a role otherwise than it is stored,
// has no trust policy that could allow.
func TestCheckTrustPolicy(t *testing.T) {
	f := newCheckFixture(t, time.Now(), false)
	trust := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
	}
	err := f.st.Update(context.Background(), func(tx gatehouse.Tx) error {
		for _, r := range []*gatehouse.Role{
			{AccountID: acct, Name: "trusting", ID: "AROATRUSTING0000000", Path: "/ops/", AssumeRolePolicy: trust("arn:aws:iam::" + acct + ":user/alice")},
			{AccountID: acct, Name: "other", ID: "AROAOTHER000000000", Path: "/", AssumeRolePolicy: trust("arn:aws:iam::" + acct + ":user/bob")},
		} {
			r.CreatedAt = time.Now()
			if err := tx.CreateRole(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	role := func(rest string) string { return "arn:aws:iam::" + acct + ":role/" + rest }
	for _, tt := range []struct {
		roleARN  string
		decision string
	}{
		{role("ops/trusting"), gatehouse.DecisionAllowed},
		{role("trusting"), gatehouse.DecisionImplicitDeny},                       // not the stored path
		{role("ops/TRUSTING"), gatehouse.DecisionImplicitDeny},                   // not the stored name
		{role("other"), gatehouse.DecisionImplicitDeny},                          // trusts someone else
		{role("missing"), gatehouse.DecisionImplicitDeny},                        // no such role
		{"arn:aws:iam::" + acct + ":user/alice", gatehouse.DecisionImplicitDeny}, // not a role
	} {
		msg, decision := f.check(t, "user", authz.Operation{
			Request:       authz.Request{Action: "sts:AssumeRole", Resource: tt.roleARN},
			TrustPolicyOf: tt.roleARN,
		})
		if decision != tt.decision || (decision == gatehouse.DecisionAllowed) != (msg == "") {
			t.Errorf("%s: decision %q, message %q; want %q", tt.roleARN, decision, msg, tt.decision)
		}
	}
}
