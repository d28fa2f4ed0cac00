package gatehouse_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

func TestClipAudit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"aé", 2, "a"}, // é is two bytes: not cut in half
		{"", 0, ""},
	} {
		if got := gatehouse.ClipAudit(tc.in, tc.n); got != tc.want {
			t.Errorf("ClipAudit(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
