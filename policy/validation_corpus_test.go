package policy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/policy/catalog"
)

// validationCase is one document of testdata/validation/*.json.
type validationCase struct {
	Name string `json:"name"`
	Cite string `json:"cite"`
	Kind string `json:"kind"`
	// Document is the policy as a JSON value; a JSON string holds the
	// raw document text (for documents that are not valid JSON).
	Document json.RawMessage `json:"document"`
	// Error is AWS's answer for an invalid document.
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
	// Warnings are the warning codes expected for a valid document.
	Warnings []string `json:"warnings,omitempty"`
}

func (c *validationCase) text(t *testing.T) []byte {
	t.Helper()
	doc := bytes.TrimSpace(c.Document)
	if len(doc) > 0 && doc[0] == '"' {
		var s string
		if err := json.Unmarshal(doc, &s); err != nil {
			t.Fatal(err)
		}
		return []byte(s)
	}
	return doc
}

func loadValidationCases(t *testing.T, file string) []validationCase {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cases []validationCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return cases
}

// TestValidationCorpus checks every invalid document's AWS error and every
// valid document's warnings.
func TestValidationCorpus(t *testing.T) {
	cat := catalog.Default()
	invalid := loadValidationCases(t, "testdata/validation/invalid.json")
	valid := loadValidationCases(t, "testdata/validation/valid.json")
	if len(invalid) < 100 || len(valid) < 50 {
		t.Errorf("validation corpus has %d invalid and %d valid documents, want at least 100 and 50", len(invalid), len(valid))
	}
	run := func(c validationCase, wantErr bool) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			kind, ok := policy.ParseKind(c.Kind)
			if !ok {
				t.Fatalf("unknown kind %q", c.Kind)
			}
			if c.Cite == "" {
				t.Error("case needs a cite")
			}
			findings := policy.Validate(c.text(t), policy.ValidateOptions{Kind: kind, Catalog: cat, Retired: billing.Retired{}})
			first, hasErr := policy.FirstError(findings)
			if wantErr {
				if c.Error == nil {
					t.Fatal("invalid case without an expected error")
				}
				if !hasErr || first.Code != c.Error.Code || first.Message != c.Error.Message {
					t.Errorf("got %v, want error %s: %s", findings, c.Error.Code, c.Error.Message)
				}
				return
			}
			if hasErr {
				t.Fatalf("valid document rejected: %v", first)
			}
			var codes []string
			for _, f := range findings {
				codes = append(codes, f.Code)
			}
			slices.Sort(codes)
			want := slices.Clone(c.Warnings)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("warnings: got %v, want %v\n%v", codes, want, findings)
			}
		})
	}
	for _, c := range invalid {
		run(c, true)
	}
	for _, c := range valid {
		run(c, false)
	}
}
