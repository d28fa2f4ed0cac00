package sigv4_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps sigv4 a leaf package (docs/architecture.md): it may
// import the standard library only.
func TestDeps(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "github.com/gatehouse-dev/gatehouse/sigv4").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/gatehouse-dev/gatehouse/sigv4" {
			t.Errorf("sigv4 imports %s; only the standard library is allowed", dep)
		}
	}
}
