package query

import (
	"testing"
	"unicode"

	"github.com/gatehouse-dev/gatehouse"
)

// TestSpellEveryCode: every domain error code has an AWS spelling here
// (an exception name in CamelCase, never the domain's own word).
func TestSpellEveryCode(t *testing.T) {
	for _, code := range gatehouse.Codes {
		s := Spell(code)
		if s == "" || !unicode.IsUpper(rune(s[0])) || s == string(code) {
			t.Errorf("Spell(%q) = %q, want an AWS error code", code, s)
		}
	}
}
