package policy_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// TestPositionsOf checks PositionsOf against PositionOf, offsets in any
// order, repeated, and past the end.
func TestPositionsOf(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n\n  \"b\": [2,\n 3]}")
	tests := []struct {
		name    string
		offsets []int
	}{
		{"none", nil},
		{"in order", []int{0, 1, 2, 5, 12, 13, 20, 26}},
		{"out of order", []int{26, 0, 13, 5, 20}},
		{"repeated", []int{5, 5, 0, 0}},
		{"past the end", []int{len(data), len(data) + 10, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := policy.PositionsOf(data, tc.offsets)
			if len(got) != len(tc.offsets) {
				t.Fatalf("%d positions for %d offsets", len(got), len(tc.offsets))
			}
			for i, off := range tc.offsets {
				if want := policy.PositionOf(data, off); got[i] != want {
					t.Errorf("offset %d: %+v, want %+v", off, got[i], want)
				}
			}
		})
	}
}
