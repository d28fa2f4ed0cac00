package gatehouse_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps enforces the import rules of docs/architecture.md: each
// package may import the standard library, its listed module packages,
// and (for adapters) the listed third-party modules.
func TestDeps(t *testing.T) {
	const module = "github.com/gatehouse-dev/gatehouse"
	allowed := map[string][]string{
		"":                  {"arn", "wildcard"},
		"wildcard":          {},
		"arn":               {"wildcard"},
		"policy":            {"arn", "wildcard"},
		"policy/catalog":    {"wildcard"},
		"policy/simulation": {"policy", "arn", "wildcard"},
		"sigv4":             {},
		"totp":              {},
		"password":          {"golang.org/x/crypto", "golang.org/x/sys"},
		"authz":             {"", "policy", "arn", "wildcard", "billing"},
		"iam":               {"", "policy", "arn", "wildcard", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"sts":               {"", "policy", "arn", "wildcard"},
		"billing":           {"", "policy", "arn", "wildcard"},
		"account":           {""},
		"tax":               {""},
		"roottask":          {"", "password", "golang.org/x/crypto", "golang.org/x/sys"},
		"outbox":            {""},
		"metrics":           {"", "policy", "arn", "wildcard", "github.com/prometheus", "github.com/beorn7", "github.com/cespare", "github.com/munnerz", "github.com/pandatix", "golang.org/x/sys", "google.golang.org/protobuf"},
		"api":               {"api", "", "policy", "arn", "wildcard", "sigv4", "authz", "iam", "sts", "account", "billing", "roottask", "tax", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"api/op":            {"", "authz", "billing", "policy", "arn", "wildcard"},
		"api/query":         {"", "arn", "wildcard", "api/internal/wire"},
		"api/restjson":      {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/awsjson":       {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/taxops":        {"", "arn", "wildcard", "api/op", "authz", "billing", "policy", "tax"},
		"api/restxml":       {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/internal/wire": {"", "arn", "wildcard"},
		"api/iamops":        {"", "iam", "authz", "api/op", "api/query", "api/internal/wire", "policy", "arn", "wildcard", "billing", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"api/stsops":        {"", "api/op", "api/query", "api/internal/wire", "sts", "authz", "billing", "policy", "arn", "wildcard"},
		"api/accountops":    {"", "account", "api/op", "authz", "billing", "policy", "arn", "wildcard"},
		"api/roottaskops":   {"", "roottask", "api/op", "authz", "billing", "policy", "arn", "wildcard", "password", "golang.org/x/crypto", "golang.org/x/sys"},
		"awsmanaged":        {""},
		"store/sqlite":      {"", "modernc.org", "github.com/dustin", "github.com/google/uuid", "github.com/mattn", "github.com/ncruces", "github.com/remyoudompheng", "golang.org/x/sys"},
	}
	for pkg, ok := range allowed {
		path := module
		if pkg != "" {
			path += "/" + pkg
		}
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", path).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", path, err)
		}
	deps:
		for _, dep := range strings.Fields(string(out)) {
			if dep == path {
				continue
			}
			for _, a := range ok {
				switch {
				case a == "" && dep == module:
					continue deps
				case a != "" && (dep == module+"/"+a || strings.HasPrefix(dep, module+"/"+a+"/")):
					continue deps
				case a != "" && strings.HasPrefix(dep, a):
					continue deps
				}
			}
			t.Errorf("%s imports %s, which docs/architecture.md does not allow", path, dep)
		}
	}
}
