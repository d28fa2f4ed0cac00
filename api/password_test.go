package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestPasswordPolicyGrants: a user with no policy may change its own
// password and read the password policy only while the policy sets
// AllowUsersToChangePassword; an explicit deny still wins; another
// user's password stays out of reach.
func TestPasswordPolicyGrants(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	userKey := func(name string) key {
		g.setup(t, iamForm("CreateUser", "UserName", name))
		g.setup(t, iamForm("CreateLoginProfile", "UserName", name, "Password", name+"-Passw0rd-1"))
		r := g.setup(t, iamForm("CreateAccessKey", "UserName", name))
		return key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	}
	pat, kim := userKey("pat"), userKey("kim")
	change := func(k key, old, next string) response {
		return h.send(t, "iam", k, iamForm("ChangePassword", "OldPassword", old, "NewPassword", next))
	}

	// No password policy: no grant.
	wantError(t, change(pat, "pat-Passw0rd-1", "pat-Passw0rd-2"), 403, "AccessDenied",
		"User: arn:aws:iam::"+accountID+":user/pat is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::"+
			accountID+":user/pat because no identity-based policy allows the iam:ChangePassword action")
	g.setup(t, iamForm("UpdateAccountPasswordPolicy", "AllowUsersToChangePassword", "false"))
	wantError(t, h.send(t, "iam", pat, iamForm("GetAccountPasswordPolicy")), 403, "AccessDenied", "")
	wantError(t, change(pat, "pat-Passw0rd-1", "pat-Passw0rd-2"), 403, "AccessDenied", "")

	g.setup(t, iamForm("UpdateAccountPasswordPolicy", "AllowUsersToChangePassword", "true", "MinimumPasswordLength", "12"))
	if r := h.send(t, "iam", pat, iamForm("GetAccountPasswordPolicy")); r.status != 200 {
		t.Errorf("GetAccountPasswordPolicy with the grant: HTTP %d %s", r.status, r.body)
	}
	wantError(t, change(pat, "pat-Passw0rd-1", "Short-1"), 400, "PasswordPolicyViolation", "Password should have a minimum length of 12")
	wantError(t, change(pat, "not-the-password", "pat-Passw0rd-2"), 403, "AccessDenied", "The old password is incorrect.")
	if r := change(pat, "pat-Passw0rd-1", "pat-Passw0rd-2"); r.status != 200 {
		t.Fatalf("ChangePassword with the grant: HTTP %d %s", r.status, r.body)
	}
	// The grant covers the user's own password only.
	wantError(t, h.send(t, "iam", pat, iamForm("UpdateLoginProfile", "UserName", "kim", "Password", "taken-over-Passw0rd")),
		403, "AccessDenied", "")
	wantError(t, h.send(t, "iam", pat, iamForm("GetLoginProfile")), 403, "AccessDenied", "")

	// An explicit deny beats the grant.
	g.setup(t, iamForm("PutUserPolicy", "UserName", "kim", "PolicyName", "no-change", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}]}`))
	wantError(t, change(kim, "kim-Passw0rd-1", "kim-Passw0rd-2"), 403, "AccessDenied", "")

	// Roles and root have no login profile to change.
	wantError(t, change(rootKey, "a", "b"), 400, "InvalidUserType", "")
	wantError(t, h.send(t, "iam", rootKey, iamForm("GetLoginProfile")), 400, "ValidationError",
		"Must specify userName when calling with non-User credentials")

	// The root password ignores the IAM password policy.
	g.setup(t, iamForm("UpdateAccountPasswordPolicy", "MinimumPasswordLength", "40", "RequireSymbols", "true"))
	h.setRootPassword(t, signInPassword, "plain root words")

	// No password reaches the audit trail.
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	err := h.srv.Store.View(context.Background(), func(tx gatehouse.Tx) error {
		recs, err := tx.AuditRecords(gatehouse.AuditFilter{})
		for _, r := range recs {
			for _, s := range []string{"Passw0rd", "plain root words", "Short-1"} {
				if strings.Contains(r.Resource+r.PrincipalARN+r.ErrorCode+r.UserAgent, s) {
					t.Errorf("audit record %s holds a password", r.RequestID)
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
