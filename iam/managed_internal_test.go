package iam

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// TestManagedPoliciesValid checks that every shipped AWS managed policy
// is listed once and passes the write-time checks of an identity policy.
func TestManagedPoliciesValid(t *testing.T) {
	raw, err := managedFS.ReadFile("managed/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var entries []managedEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.Name] {
			t.Errorf("%s listed twice", e.Name)
		}
		seen[e.Name] = true
		doc, err := managedFS.ReadFile("managed/" + e.File)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if f, bad := policy.FirstError(policy.Validate(doc, policy.ValidateOptions{Kind: policy.KindIdentity})); bad {
			t.Errorf("%s: %v", e.Name, f)
		}
	}
	for _, want := range []string{"AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "IAMReadOnlyAccess", "IAMUserChangePassword", "Billing"} {
		if !seen[want] {
			t.Errorf("missing AWS managed policy %s", want)
		}
	}
}
