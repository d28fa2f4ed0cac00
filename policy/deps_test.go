package policy_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps enforces the import rules of docs/architecture.md for the
// engine's leaf packages: standard library only, plus the module's own
// leaves named here.
func TestDeps(t *testing.T) {
	const module = "github.com/gatehouse-dev/gatehouse"
	allowed := map[string][]string{
		"wildcard":          {},
		"arn":               {"wildcard"},
		"policy":            {"arn", "wildcard"},
		"policy/catalog":    {"wildcard"},
		"policy/simulation": {"policy", "arn", "wildcard"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", module+"/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, own := strings.CutPrefix(dep, module+"/")
			if dep == module+"/"+pkg {
				continue
			}
			if !own || !contains(ok, rel) {
				t.Errorf("%s imports %s; allowed: the standard library and %v", pkg, dep, ok)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
