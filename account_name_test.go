package gatehouse_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestDefaultAccountName(t *testing.T) {
	for _, c := range []struct{ email, want string }{
		{"root@example.com", "root"},
		{"ops.team+billing@example.com", "ops.team+billing"},
		{`"john doe"@example.com`, "john doe"},
		{"jos\u00e9<x>@example.com", "josx"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 50)},
		{"", "123456789012"},
		{"\u00e9\u00e9@example.com", "123456789012"},
	} {
		if got := gatehouse.DefaultAccountName(c.email, "123456789012"); got != c.want {
			t.Errorf("DefaultAccountName(%q) = %q, want %q", c.email, got, c.want)
		}
	}
	a := &gatehouse.Account{ID: "123456789012", Email: "root@example.com"}
	if got := a.AccountName(); got != "root" {
		t.Errorf("AccountName() of an account without a name = %q", got)
	}
	a.Name = "Production"
	if got := a.AccountName(); got != "Production" {
		t.Errorf("AccountName() = %q", got)
	}
}
