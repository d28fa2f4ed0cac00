package authz_test

import (
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// TestOwnerRootException: a resource policy that denies everyone binds
// the owner's root user too, but for S3's bucket-policy actions, where
// the owner's root is let through and the audit record says so
// (DecisionRootException). Nobody else is, and root of another account is
// not.
func TestOwnerRootException(t *testing.T) {
	f := newCheckFixture(t, time.Now(), false, "s3:*")
	const bucket = "arn:aws:s3:::locked"
	denyAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` + bucket + `","` + bucket + `/*"]}]}`
	other := &gatehouse.Account{ID: "999988887777", Email: "o@example.com", CreatedAt: time.Now()}
	f.callers["other root"] = &authz.Caller{Account: other, AccessKeyID: "AKIAOTHERROOT"}
	for _, tt := range []struct {
		caller, action, decision string
	}{
		{"root key", "s3:PutBucketPolicy", gatehouse.DecisionRootException},
		{"root key", "s3:DeleteBucketPolicy", gatehouse.DecisionRootException},
		{"root sign-in", "s3:GetBucketPolicy", gatehouse.DecisionRootException},
		{"root key", "s3:GetObject", gatehouse.DecisionExplicitDeny},
		{"user", "s3:PutBucketPolicy", gatehouse.DecisionExplicitDeny},
		{"other root", "s3:PutBucketPolicy", gatehouse.DecisionExplicitDeny},
	} {
		msg, decision := f.check(t, tt.caller, authz.Operation{
			Request: authz.Request{Action: tt.action, Resource: bucket, ResourceAccount: acct, ResourcePolicy: denyAll,
				ResourcePolicyID: bucket, ResourceType: policy.ResourcePolicy},
		})
		allowed := tt.decision == gatehouse.DecisionRootException
		if decision != tt.decision || allowed != (msg == "") {
			t.Errorf("%s %s: decision %q, message %q; want %q", tt.caller, tt.action, decision, msg, tt.decision)
		}
	}
}
