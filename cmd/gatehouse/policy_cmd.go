package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/policy/catalog"
	"github.com/gatehouse-dev/gatehouse/policy/simulation"
)

func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, groupUsage("policy"))
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return policyValidate(args[1:], stdin, stdout, stderr)
	case "simulate":
		return policySimulate(args[1:], stdin, stdout, stderr)
	}
	fmt.Fprint(stderr, groupUsage("policy"))
	return exitUsage
}

// findingJSON is the --json form of one finding.
type findingJSON struct {
	File     string `json:"file"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
}

func policyValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("policy validate", stderr)
	kindName := fs.String("kind", "identity", "policy kind: identity, resource, trust, boundary, scp, rcp or session")
	asJSON := fs.Bool("json", false, "print findings as a JSON array")
	maxSize := fs.Int("max-size", 0, "size quota in characters, white space not counted (default: the kind's AWS quota)")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	kind, ok := policy.ParseKind(*kindName)
	if !ok {
		fmt.Fprintf(stderr, "gatehouse policy validate: unknown --kind %q (want identity, resource, trust, boundary, scp, rcp or session)\n", *kindName)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gatehouse policy validate: name at least one FILE (or - for standard input)")
		return exitUsage
	}
	opts := policy.ValidateOptions{Kind: kind, MaxSize: *maxSize, Catalog: catalog.Default(), Retired: billing.Retired{}}
	code := exitOK
	all := []findingJSON{}
	for _, name := range fs.Args() {
		data, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse policy validate: %v\n", err)
			return exitUsage
		}
		findings := policy.Validate(data, opts)
		if _, bad := policy.FirstError(findings); bad {
			code = exitFindings
		}
		for _, f := range findings {
			all = append(all, findingJSON{File: name, Severity: f.Severity.String(), Code: f.Code, Message: f.Message, Path: f.Path,
				Line: f.Line, Column: f.Column})
		}
		if *asJSON {
			continue
		}
		if len(findings) == 0 {
			fmt.Fprintf(stdout, "%s: ok (%s policy)\n", name, kind)
			continue
		}
		for _, f := range findings {
			fmt.Fprintf(stdout, "%s: %s\n", name, f)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(all)
	}
	return code
}

func policySimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("policy simulate", stderr)
	input := fs.String("input", "", "the case file (JSON; - for standard input); see docs/policy.md")
	raw := fs.Bool("raw", false, "evaluate the policies as given, without validating them as AWS would when they are written")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if *input == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "gatehouse policy simulate: want exactly --input CASE.json")
		return exitUsage
	}
	data, err := readInput(*input, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse policy simulate: %v\n", err)
		return exitUsage
	}
	// A file holds one case, or an array of cases (as in the corpus).
	var cases []simulation.Case
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		cases, err = simulation.DecodeAll(bytes.NewReader(data))
	} else {
		var c *simulation.Case
		if c, err = simulation.Decode(bytes.NewReader(data)); err == nil {
			cases = []simulation.Case{*c}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse policy simulate: %s: %v\n", *input, err)
		return exitUsage
	}
	code := exitOK
	outs := make([]*simulation.Output, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		if !*raw {
			errs, warnings := validateCase(c)
			for _, w := range warnings {
				fmt.Fprintf(stderr, "gatehouse policy simulate: %s: %swarning %s\n", *input, caseLabel(c, len(cases)), w)
			}
			if len(errs) > 0 {
				for _, e := range errs {
					fmt.Fprintf(stderr, "gatehouse policy simulate: %s: %s%s\n", *input, caseLabel(c, len(cases)), e)
				}
				fmt.Fprintln(stderr, "gatehouse policy simulate: AWS would refuse these policies; --raw evaluates them anyway")
				return exitFindings
			}
		}
		out, err := c.Run()
		if err != nil {
			fmt.Fprintf(stderr, "gatehouse policy simulate: %s: %s%v\n", *input, caseLabel(c, len(cases)), err)
			return exitUsage
		}
		if c.Expect != nil && !matchesExpectation(out, c.Expect) {
			fmt.Fprintf(stderr, "gatehouse policy simulate: %s: %sgot %s by %q, expected %s by %q\n",
				*input, caseLabel(c, len(cases)), out.Decision, out.DecidedBy, c.Expect.Decision, c.Expect.DecidedBy)
			code = exitFindings
		}
		outs = append(outs, out)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if len(data) > 0 && bytes.TrimSpace(data)[0] == '[' {
		enc.Encode(outs)
	} else {
		enc.Encode(outs[0])
	}
	return code
}

// validateCase validates every policy of a case as AWS does when the
// policy is written, each as its kind (the resource policy as a trust
// policy when the case says it is one), and checks the request's action
// against the catalog. It returns the errors and the warnings, each
// naming the policy.
func validateCase(c *simulation.Case) (errs, warnings []string) {
	check := func(what string, kind policy.Kind, docs []simulation.Doc) {
		for i, d := range docs {
			name := fmt.Sprintf("%s policy %d", what, i+1)
			if d.ID != "" {
				name = fmt.Sprintf("%s policy %q", what, d.ID)
			}
			for _, f := range policy.Validate(d.Document, policy.ValidateOptions{Kind: kind, Catalog: catalog.Default(), Retired: billing.Retired{}}) {
				if f.Severity == policy.SeverityError {
					errs = append(errs, name+": "+f.String())
				} else {
					warnings = append(warnings, name+": "+f.String())
				}
			}
		}
	}
	p := &c.Policies
	check("identity", policy.KindIdentity, p.Identity)
	check("boundary", policy.KindBoundary, p.Boundary)
	check("session", policy.KindSession, p.Session)
	resourceKind := policy.KindResource
	if p.ResourceType == "trust" {
		resourceKind = policy.KindTrust
	}
	check("resource", resourceKind, p.Resource)
	for i, level := range p.SCP {
		check(fmt.Sprintf("SCP level %d", i+1), policy.KindSCP, level)
	}
	for i, level := range p.RCP {
		check(fmt.Sprintf("RCP level %d", i+1), policy.KindRCP, level)
	}
	if a := c.Request.Action; a != "" {
		if _, ok := catalog.Default().Action(a); !ok {
			warnings = append(warnings, fmt.Sprintf("request: the action %s is not an AWS action (UNKNOWN_ACTION)", a))
		}
	}
	return errs, warnings
}

func caseLabel(c *simulation.Case, n int) string {
	if n == 1 && c.Name == "" {
		return ""
	}
	return fmt.Sprintf("case %q: ", c.Name)
}

// matchesExpectation compares a result with a case's "expect" block;
// matched statements count only when the case lists them.
func matchesExpectation(got, want *simulation.Output) bool {
	if got.Decision != want.Decision || got.DecidedBy != want.DecidedBy {
		return false
	}
	return want.MatchedStatements == nil || reflect.DeepEqual(got.MatchedStatements, want.MatchedStatements)
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, unwrapPathError(err))
	}
	return data, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s", strings.TrimPrefix(pe.Err.Error(), "open "))
	}
	return err
}
