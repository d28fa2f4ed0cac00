package policy_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// TestSyntaxErrorPosition: a document that is not JSON is reported with
// the line and column where the parser found it out; a grammar error in
// well-formed JSON keeps its path and has no position.
func TestSyntaxErrorPosition(t *testing.T) {
	for _, tc := range []struct {
		name, doc    string
		line, column int
		path         string
	}{
		{"missing comma", "{\"Version\":\"2012-10-17\",\n \"Statement\": [\n  {\"Effect\":\"Allow\" \"Action\":\"s3:*\"}]}", 3, 21, ""},
		{"unterminated", "{\"Version\":\"2012-10-17\",\n\"Statement\":[", 2, 14, ""},
		{"trailing garbage", "{}\n\n  x", 3, 3, ""},
		{"first byte", "nope", 1, 1, ""},
		{"unicode before", "{\"Sid\":\"é\",\n\t,}", 2, 2, ""},
		{"grammar", `{"Version":"2012-10-17","Statement":{"Effect":1}}`, 0, 0, "Statement.Effect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			findings := policy.Validate([]byte(tc.doc), policy.ValidateOptions{Kind: policy.KindIdentity})
			f, ok := policy.FirstError(findings)
			if !ok || f.Message != policy.MsgSyntax {
				t.Fatalf("findings %v, want the syntax error", findings)
			}
			if f.Line != tc.line || f.Column != tc.column {
				t.Errorf("at line %d, column %d; want %d, %d", f.Line, f.Column, tc.line, tc.column)
			}
			if tc.path != "" && f.Path != tc.path {
				t.Errorf("path %q, want %q", f.Path, tc.path)
			}
		})
	}
}
