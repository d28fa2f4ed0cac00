package iam_test

import (
	"context"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/awsmanaged"
	"github.com/gatehouse-dev/gatehouse/iam"
)

func TestAuthorizationDetails(t *testing.T) {
	env := newPasswordEnv(t) // account acct with user pat
	ctx := context.Background()
	env.svc.Store = gatehouse.Narrow[iam.Tx](awsmanaged.Wrap(env.st, nil))
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	local, err := env.svc.CreatePolicy(ctx, acct, iam.CreatePolicyInput{PolicyName: "local", PolicyDocument: doc})
	if err != nil {
		t.Fatal(err)
	}
	pat := gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: "pat"}
	const used = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	for _, arn := range []string{local.ARN(), used} {
		if err := env.svc.AttachPolicy(ctx, acct, pat, arn); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.svc.PutInlinePolicy(ctx, acct, pat, "inline", doc); err != nil {
		t.Fatal(err)
	}
	names := func(d *iam.AuthorizationDetails) (users, policies []string) {
		for _, u := range d.Users {
			users = append(users, u.User.Name)
		}
		for _, p := range d.Policies {
			policies = append(policies, p.Name)
		}
		return users, policies
	}
	d, err := env.svc.AuthorizationDetails(ctx, acct, nil)
	if err != nil {
		t.Fatal(err)
	}
	users, policies := names(d)
	// AWS managed policies appear only when the account uses them.
	wantEqual(t, "users", users, []string{"pat"})
	wantEqual(t, "policies", policies, []string{"IAMReadOnlyAccess", "local"})
	if u := d.Users[0]; len(u.Inline) != 1 || len(u.Attached) != 2 {
		t.Errorf("pat: %d inline, %d attached", len(u.Inline), len(u.Attached))
	}
	if p := d.Policies[1]; len(p.Versions) != 1 || p.AttachmentCount != 1 {
		t.Errorf("local policy: %d versions, %d attachments", len(p.Versions), p.AttachmentCount)
	}
	d, err = env.svc.AuthorizationDetails(ctx, acct, []string{"AWSManagedPolicy"})
	if err != nil {
		t.Fatal(err)
	}
	users, policies = names(d)
	wantEqual(t, "filtered users", users, nil)
	wantEqual(t, "filtered policies", policies, []string{"IAMReadOnlyAccess"})
	if _, err := env.svc.AuthorizationDetails(ctx, acct, []string{"Users"}); gatehouse.ErrorCode(err) != gatehouse.CodeInvalid {
		t.Errorf("bad filter: %v", err)
	}
}

func wantEqual[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if any(got[i]) != any(want[i]) {
			t.Errorf("%s = %v, want %v", what, got, want)
			return
		}
	}
}
