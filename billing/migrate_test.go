package billing

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy"
)

var update = flag.Bool("update", false, "rewrite the expected reports and outputs of testdata/migrate")

// migrateCase is one file of testdata/migrate.
type migrateCase struct {
	Input   string          `json:"input"`
	MaxSize int             `json:"maxSize"`
	Report  json.RawMessage `json:"report,omitempty"`
	Output  string          `json:"output,omitempty"`
	// Error is a substring of the expected error, if any.
	Error string `json:"error,omitempty"`
}

func loadCases(t *testing.T) map[string]*migrateCase {
	t.Helper()
	files, err := filepath.Glob("testdata/migrate/*.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("want at least 20 migrate cases, found %d (%v)", len(files), err)
	}
	out := map[string]*migrateCase{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &migrateCase{}
		if err := json.Unmarshal(data, c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = c
	}
	return out
}

func canonical(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func TestMigrateCorpus(t *testing.T) {
	for file, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			m, err := MigrateDocument(c.Input, c.MaxSize)
			report, _ := json.Marshal(m)
			if *update {
				c.Report, c.Output, c.Error = report, m.Document, ""
				if err != nil {
					c.Report, c.Output, c.Error = nil, "", err.Error()
				}
				data, _ := json.MarshalIndent(c, "", "  ")
				if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if c.Error != "" {
				if err == nil || !strings.Contains(err.Error(), c.Error) {
					t.Fatalf("error = %v, want %q", err, c.Error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := canonical(t, report), canonical(t, c.Report); got != want {
				t.Errorf("report:\n%s\nwant:\n%s", got, want)
			}
			if m.Document != c.Output {
				t.Errorf("output:\n%s\nwant:\n%s", m.Document, c.Output)
			}
		})
	}
}

// TestMigrateProperties checks, for every corpus case: Rollback undoes
// Migrate byte for byte (for an input migrated before, back to the
// document before that migration); migrating again appends nothing; the migrated
// document validates as an identity policy with no error the original
// did not have; the result respects the size limit.
func TestMigrateProperties(t *testing.T) {
	for file, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			m, err := MigrateDocument(c.Input, c.MaxSize)
			if err != nil {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatal(err)
				}
				return
			}
			// For an already migrated input, rollback goes back to the
			// document before its first migration, keeping only the
			// statements that carry the prefix but migrate nothing.
			want, unmatched := RollbackDocument(c.Input)
			if !slices.Equal(unmatched, m.Unmatched) {
				t.Errorf("Rollback kept %v, Migrate reported %v unmatched", unmatched, m.Unmatched)
			}
			if _, left := RollbackDocument(want); !slices.Equal(left, m.Unmatched) || strings.Count(want, SidPrefix) != len(m.Unmatched) {
				t.Errorf("Rollback did not remove the migrator statements of the input: %s", want)
			}
			if got := Rollback(m.Document); got != want {
				t.Errorf("Rollback(Migrate(doc)) =\n%q\nwant\n%q", got, want)
			}
			again, err := MigrateDocument(m.Document, c.MaxSize)
			if err != nil || again.Changed || again.Document != m.Document {
				t.Errorf("second migration changed the document (err %v)", err)
			}
			for _, s := range again.Statements {
				if s.Sid != "" {
					t.Errorf("second migration appended %s", s.Sid)
				}
			}
			if c.MaxSize > 0 && policy.Size([]byte(m.Document)) > c.MaxSize {
				t.Errorf("size %d over %d", policy.Size([]byte(m.Document)), c.MaxSize)
			}
			before := errorSet(c.Input)
			for f := range errorSet(m.Document) {
				if !before[f] {
					t.Errorf("new validation error: %s", f)
				}
			}
			if !m.Changed && m.Document != c.Input {
				t.Error("unchanged migration altered the document")
			}
		})
	}
}

func errorSet(doc string) map[string]bool {
	out := map[string]bool{}
	for _, f := range policy.Validate([]byte(doc), policy.ValidateOptions{Kind: policy.KindIdentity}) {
		if f.Severity == policy.SeverityError {
			out[f.Code+": "+f.Message] = true
		}
	}
	return out
}

func TestRollbackLeavesOthersAlone(t *testing.T) {
	for _, doc := range []string{
		`not json`,
		`{"Version":"2012-10-17","Statement":{"Sid":"BillingConsolePolicyMigrator0","Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
	} {
		if got := Rollback(doc); got != doc {
			t.Errorf("Rollback(%q) = %q", doc, got)
		}
	}
	// A migrator statement the operator moved to the front is removed too.
	// (It is, by content, the migration of the statement that follows.)
	doc := `{"Statement":[{"Sid":"BillingConsolePolicyMigrator1","Effect":"Allow","Action":"cur:GetUsageReport","Resource":"*"}, {"Effect":"Allow","Action":"aws-portal:ViewUsage","Resource":"*"}]}`
	if got, want := Rollback(doc), `{"Statement":[{"Effect":"Allow","Action":"aws-portal:ViewUsage","Resource":"*"}]}`; got != want {
		t.Errorf("Rollback = %s, want %s", got, want)
	}
}

func TestShorthandMatchesAWSExample(t *testing.T) {
	// aws-reference §3.3: the bulk migrator's example wildcard mapping
	// for aws-portal:ViewBilling.
	want := "account:Get* billing:Get* billing:List* ce:Describe* ce:Get* ce:List* consolidatedbilling:Get* consolidatedbilling:List* cur:Get* cur:Validate* freetier:Get* invoicing:Get* invoicing:List* payments:Get* payments:List* tax:Get* tax:List*"
	if got := strings.Join(shorthand(RetiredBillingActions["aws-portal:ViewBilling"]), " "); got != want {
		t.Errorf("shorthand = %s\nwant %s", got, want)
	}
}

func TestMigrateInvalid(t *testing.T) {
	if _, err := MigrateDocument(`{"Statement":`, 0); err == nil {
		t.Error("want an error for invalid JSON")
	}
}

// TestMigrateInsertBeforeMigrated inserts a statement with retired
// actions before an already migrated one: the migrator recognises its
// statements by content, so the old statement stays migrated once and
// the new one gets its own statement, under a Sid not yet used.
func TestMigrateInsertBeforeMigrated(t *testing.T) {
	usage := `{"Effect":"Allow","Action":"aws-portal:ViewUsage","Resource":"*"}`
	orders := `{"Effect":"Allow","Action":"purchase-orders:ViewPurchaseOrders","Resource":"*"}`
	first, err := MigrateDocument(`{"Version":"2012-10-17","Statement":[`+usage+`]}`, 0)
	if err != nil || !first.Changed || first.Statements[0].Sid != SidPrefix+"0" {
		t.Fatalf("first migration: %+v %v", first, err)
	}
	edited := strings.Replace(first.Document, `[`+usage, `[`+orders+`,`+usage, 1)
	second, err := MigrateDocument(edited, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Statements) != 2 {
		t.Fatalf("statements: %+v", second.Statements)
	}
	if s := second.Statements[0]; s.Index != 0 || s.Skipped != "" || s.Sid != SidPrefix+"1" || !slices.Contains(s.Added, "purchase-orders:ListPurchaseOrders") {
		t.Errorf("inserted statement: %+v", s)
	}
	if s := second.Statements[1]; s.Index != 1 || s.Skipped != skipMigrated || s.MigratedBy != SidPrefix+"0" || s.Sid != "" {
		t.Errorf("migrated statement: %+v", s)
	}
	if n := strings.Count(second.Document, "cur:GetUsageReport"); n != 1 {
		t.Errorf("cur:GetUsageReport appears %d times:\n%s", n, second.Document)
	}
	if errs := errorSet(second.Document); len(errs) > 0 {
		t.Errorf("validation errors: %v", errs)
	}
	if got, want := Rollback(second.Document), `{"Version":"2012-10-17","Statement":[`+orders+`,`+usage+`]}`; got != want {
		t.Errorf("Rollback = %s\nwant %s", got, want)
	}
	third, err := MigrateDocument(second.Document, 0)
	if err != nil || third.Changed {
		t.Errorf("third migration changed the document (%v)", err)
	}
}

// TestRollbackKeepsHandWrittenSid: a statement a user wrote with the
// migrator's Sid prefix is not the migration of any statement, so
// Rollback keeps it and says so.
func TestRollbackKeepsHandWrittenSid(t *testing.T) {
	mine := `{"Sid":"BillingConsolePolicyMigrator0","Effect":"Allow","Action":"cur:GetUsageReport","Resource":"arn:aws:cur:us-east-1:123456789012:definition/mine"}`
	usage := `{"Effect":"Allow","Action":"aws-portal:ViewUsage","Resource":"*"}`
	doc := `{"Version":"2012-10-17","Statement":[` + mine + `,` + usage + `]}`
	m, err := MigrateDocument(doc, 0)
	if err != nil || !m.Changed || !slices.Equal(m.Unmatched, []string{SidPrefix + "0"}) || m.Statements[0].Sid != SidPrefix+"1" {
		t.Fatalf("migration: %+v %v", m, err)
	}
	got, kept := RollbackDocument(m.Document)
	if got != doc || !slices.Equal(kept, []string{SidPrefix + "0"}) {
		t.Errorf("RollbackDocument = %s, kept %v", got, kept)
	}
	if got, kept := RollbackDocument(doc); got != doc || len(kept) != 1 {
		t.Errorf("RollbackDocument(unmigrated) = %s, kept %v", got, kept)
	}
}
