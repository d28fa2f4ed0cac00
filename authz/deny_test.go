package authz_test

import (
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// TestDenyOtherAccount: a request naming another account is refused
// with AccessDenied, naming the caller and the action, whoever calls.
func TestDenyOtherAccount(t *testing.T) {
	account := &gatehouse.Account{ID: acct, Email: "r@example.com"}
	user := &gatehouse.User{AccountID: acct, Name: "alice", ID: "AIDAALICE0000000000", Path: "/"}
	for _, c := range []struct {
		caller *authz.Caller
		want   string
	}{
		{&authz.Caller{Account: account}, "User: arn:aws:iam::" + acct + ":root is not authorized to perform: account:GetContactInformation"},
		{&authz.Caller{Account: account, User: user}, "User: arn:aws:iam::" + acct + ":user/alice is not authorized to perform: account:GetContactInformation"},
	} {
		err := authz.DenyOtherAccount(c.caller, "account:GetContactInformation")
		var ge *gatehouse.Error
		if !errors.As(err, &ge) || ge.Code != gatehouse.CodeDenied || ge.Message != c.want {
			t.Errorf("DenyOtherAccount(%s) = %v, want %s %q", c.caller.ARN(), err, gatehouse.CodeDenied, c.want)
		}
	}
}
