package policy_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy/simulation"
)

// minDecisionCases is the size the decision corpus must keep; cases are
// added, never dropped.
const minDecisionCases = 400

// TestDecisionCorpus runs every case under testdata/decisions and checks
// the decision, the deciding policy type and, where the case lists them,
// the matched statements.
func TestDecisionCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/decisions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	names := map[string]string{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := simulation.DecodeAll(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range cases {
			total++
			if c.Name == "" || c.Cite == "" || c.Expect == nil {
				t.Errorf("%s: case %q needs a name, a cite and an expect", file, c.Name)
				continue
			}
			if prev, dup := names[c.Name]; dup {
				t.Errorf("%s: case name %q already used in %s", file, c.Name, prev)
			}
			names[c.Name] = file
			t.Run(filepath.Base(file)+"/"+c.Name, func(t *testing.T) {
				t.Parallel()
				got, err := c.Run()
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				if got.Decision != c.Expect.Decision || got.DecidedBy != c.Expect.DecidedBy {
					t.Errorf("%s (%s): got %s by %q, want %s by %q\nmatched: %+v",
						c.Name, c.Cite, got.Decision, got.DecidedBy, c.Expect.Decision, c.Expect.DecidedBy, got.MatchedStatements)
				}
				if c.Expect.MatchedStatements != nil && !reflect.DeepEqual(got.MatchedStatements, c.Expect.MatchedStatements) {
					t.Errorf("%s: matched statements\n got %+v\nwant %+v", c.Name, got.MatchedStatements, c.Expect.MatchedStatements)
				}
			})
		}
	}
	if total < minDecisionCases {
		t.Errorf("decision corpus has %d cases, want at least %d", total, minDecisionCases)
	}
}
