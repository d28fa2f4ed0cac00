package wildcard_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/wildcard"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, s string
		want, fold bool
	}{
		{"", "", true, true},
		{"", "a", false, false},
		{"*", "", true, true},
		{"*", "anything/at:all", true, true},
		{"?", "", false, false},
		{"?", "é", true, true},
		{"??", "é", false, false},
		{"a*c", "abbbc", true, true},
		{"a*c", "abbbd", false, false},
		{"a*b*c", "aXbYc", true, true},
		{"a*b*c", "acb", false, false},
		{"*.txt", "notes.txt", true, true},
		{"*.txt", "notes.txt.bak", false, false},
		{"s3:Get*", "s3:GetObject", true, true},
		{"s3:get*", "S3:GetObject", false, true},
		{"a.c", "abc", false, false},     // '.' is literal
		{"a+b(c)", "a+b(c)", true, true}, // regex metacharacters are literal
		{"[ab]", "a", false, false},      // no character classes
		{"*a?c*", "xxabcyy", true, true}, // '?' inside
		{"**a**", "a", true, true},       // repeated stars
		{"a*", "A", false, true},         // case
		{"a*a*a*a*b", "aaaaaaaaaa", false, false},
	}
	for _, tc := range tests {
		if got := wildcard.Match(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
		if got := wildcard.MatchFold(tc.pattern, tc.s); got != tc.fold {
			t.Errorf("MatchFold(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.fold)
		}
	}
}

// TestMatchStarHeavyIsFast checks that a pathological pattern finishes
// quickly: matching never backtracks beyond the last star.
func TestMatchStarHeavyIsFast(t *testing.T) {
	t.Parallel()
	pattern := strings.Repeat("*a", 2000) + "*b"
	s := strings.Repeat("a", 10000)
	start := time.Now()
	if wildcard.Match(pattern, s) {
		t.Fatal("matched")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

// reference is a plain recursive matcher over runes, used to check Match
// on small inputs.
func reference(p, s []rune) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if reference(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && reference(p[1:], s[1:])
	}
	return len(s) > 0 && p[0] == s[0] && reference(p[1:], s[1:])
}

func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{{"a*c", "abc"}, {"*?*", "x"}, {"s3:Get*", "s3:GetObject"}, {"a?é*", "abé"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := wildcard.Match(pattern, s)
		if len(pattern) <= 12 && len(s) <= 16 && strings.Count(pattern, "*") <= 4 && utf8.ValidString(pattern) && utf8.ValidString(s) {
			if want := reference([]rune(pattern), []rune(s)); got != want {
				t.Fatalf("Match(%q, %q) = %v, reference says %v", pattern, s, got, want)
			}
		}
		if got && !wildcard.MatchFold(pattern, s) {
			t.Fatalf("Match true but MatchFold false for %q, %q", pattern, s)
		}
		if !wildcard.HasWildcard(pattern) && got != (pattern == s) {
			t.Fatalf("literal pattern %q vs %q: %v", pattern, s, got)
		}
	})
}
