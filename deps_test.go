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
		"awschunked":        {},
		"totp":              {},
		"blob":              {},
		"password":          {"golang.org/x/crypto", "golang.org/x/sys"},
		"authz":             {"", "policy", "arn", "wildcard", "billing"},
		"iam":               {"", "policy", "arn", "wildcard", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"sts":               {"", "policy", "arn", "wildcard"},
		"billing":           {"", "policy", "arn", "wildcard"},
		"account":           {""},
		"tax":               {""},
		"invoicing":         {""},
		"s3":                {"", "blob", "policy", "arn", "wildcard"},
		"roottask":          {"", "password", "golang.org/x/crypto", "golang.org/x/sys"},
		"outbox":            {""},
		"metrics":           {"", "policy", "arn", "wildcard", "github.com/prometheus", "github.com/beorn7", "github.com/cespare", "github.com/munnerz", "github.com/pandatix", "golang.org/x/sys", "google.golang.org/protobuf"},
		"api":               {"api", "", "policy", "arn", "wildcard", "sigv4", "awschunked", "authz", "iam", "sts", "account", "billing", "roottask", "tax", "invoicing", "s3", "blob", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"api/op":            {"", "authz", "billing", "policy", "arn", "wildcard"},
		"api/query":         {"", "arn", "wildcard", "api/internal/wire"},
		"api/restjson":      {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/awsjson":       {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/taxops":        {"", "arn", "wildcard", "api/op", "authz", "billing", "policy", "tax"},
		"api/invoicingops":  {"", "arn", "wildcard", "api/op", "authz", "billing", "policy", "invoicing"},
		"api/restxml":       {"", "arn", "wildcard", "api/internal/wire", "api/query"},
		"api/s3ops":         {"", "s3", "blob", "api/op", "api/restxml", "api/query", "api/internal/wire", "authz", "billing", "policy", "arn", "wildcard"},
		"api/internal/wire": {"", "arn", "wildcard"},
		"api/iamops":        {"", "iam", "authz", "api/op", "api/query", "api/iamops/iamxml", "api/internal/wire", "policy", "arn", "wildcard", "billing", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"api/iampolicyops":  {"", "iam", "authz", "api/op", "api/query", "api/iamops/iamxml", "api/internal/wire", "policy", "arn", "wildcard", "billing", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		// The wire shapes of IAM's entities the IAM ops packages write.
		"api/iamops/iamxml": {"", "iam", "api/query", "api/internal/wire", "policy", "arn", "wildcard", "password", "totp", "golang.org/x/crypto", "golang.org/x/sys", "rsc.io/qr"},
		"api/stsops":        {"", "api/op", "api/query", "api/internal/wire", "sts", "authz", "billing", "policy", "arn", "wildcard"},
		"api/accountops":    {"", "account", "api/op", "authz", "billing", "policy", "arn", "wildcard"},
		"api/roottaskops":   {"", "roottask", "api/op", "authz", "billing", "policy", "arn", "wildcard", "password", "golang.org/x/crypto", "golang.org/x/sys"},
		"awsmanaged":        {""},
		"store/sqlite":      {"", "modernc.org", "github.com/dustin", "github.com/google/uuid", "github.com/mattn", "github.com/ncruces", "github.com/remyoudompheng", "golang.org/x/sys"},
		"store/storetest":   {"", "arn", "wildcard"},
		// The composition root wires everything; it reads the AWS SDK's
		// shared config for the operator's own commands.
		"cmd/gatehouse": {"", "api", "account", "arn", "authz", "awsmanaged", "billing", "iam", "metrics", "outbox", "password",
			"policy", "roottask", "sigv4", "awschunked", "s3", "blob", "store/sqlite", "sts", "tax", "invoicing", "totp", "wildcard", "github.com/aws", "github.com/prometheus",
			"github.com/beorn7", "github.com/cespare", "github.com/munnerz", "github.com/pandatix", "google.golang.org/protobuf",
			"modernc.org", "github.com/dustin", "github.com/google/uuid", "github.com/remyoudompheng", "golang.org/x", "rsc.io/qr"},
		// Generators and test helpers.
		"awsmanaged/internal/gen":      {},
		"policy/catalog/internal/gen":  {"policy/catalog/internal/wire"},
		"policy/catalog/internal/wire": {},
		"internal/testprogress":        {},
		// The Query decoder's fuzz helper, for the ops packages' tests.
		"api/query/querytest": {"", "arn", "wildcard", "api/query", "api/internal/wire"},
	}
	// testOnly are the packages made of tests alone: their tests' own
	// imports are checked. End-to-end tests speak to the server only
	// through real AWS clients.
	testOnly := map[string][]string{
		"e2e":  {"sigv4", "totp", "github.com/aws"},
		"perf": {"", "api", "authz", "awsmanaged", "iam", "metrics", "sigv4", "store/sqlite"},
	}
	all, err := exec.Command("go", "list", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, path := range strings.Fields(string(all)) {
		pkg := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
		_, ok := allowed[pkg]
		_, test := testOnly[pkg]
		if !ok && !test {
			t.Errorf("%s has no row in deps_test.go: add one with what it may import", path)
		}
	}
	for pkg, ok := range testOnly {
		out, err := exec.Command("go", "list", "-f", `{{join .TestImports "\n"}}{{"\n"}}{{join .XTestImports "\n"}}`, module+"/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if !strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") {
				continue // the standard library
			}
			if !allows(module, ok, dep) {
				t.Errorf("%s's tests import %s, which docs/architecture.md does not allow", pkg, dep)
			}
		}
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
		for _, dep := range strings.Fields(string(out)) {
			if dep != path && !allows(module, ok, dep) {
				t.Errorf("%s imports %s, which docs/architecture.md does not allow", path, dep)
			}
		}
	}
}

// allows reports whether a row's allowances (module packages, with their
// subpackages, and third-party path prefixes; "" is the root package)
// admit dep.
func allows(module string, row []string, dep string) bool {
	for _, a := range row {
		switch {
		case a == "" && dep == module:
			return true
		case a != "" && (dep == module+"/"+a || strings.HasPrefix(dep, module+"/"+a+"/")):
			return true
		case a != "" && strings.HasPrefix(dep, a):
			return true
		}
	}
	return false
}
