package iam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// TestCheckDocumentLength checks the model's cap of a whole policy
// document: characters, white space included, not bytes.
func TestCheckDocumentLength(t *testing.T) {
	const max = iam.MaxPolicyDocumentLength
	cases := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"empty", "", true},
		{"spaces at the cap", strings.Repeat(" ", max), true},
		{"spaces past the cap", strings.Repeat(" ", max+1), false},
		{"Latin-1 at the cap (twice as many bytes)", strings.Repeat("é", max), true},
		{"Latin-1 past the cap", strings.Repeat("é", max+1), false},
		{"megabytes of padding", "{}" + strings.Repeat("\n", 4<<20), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := iam.CheckDocumentLength(c.doc, "policyDocument")
			listErr := iam.CheckDocumentList([]string{"{}", c.doc}, "policyInputList")
			if c.ok {
				if err != nil || listErr != nil {
					t.Fatalf("refused: %v / %v", err, listErr)
				}
				return
			}
			wantValidation(t, err, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: "+
				"Member must have length less than or equal to 131072")
			wantValidation(t, listErr, "1 validation error detected: Value at 'policyInputList' failed to satisfy constraint: "+
				"Member must satisfy constraint: [Member must have length less than or equal to 131072]")
		})
	}
}

// wantValidation checks that err is a ValidationError with message msg.
func wantValidation(t *testing.T, err error, msg string) {
	t.Helper()
	var e *gatehouse.Error
	if !errors.As(err, &e) || e.Code != gatehouse.EValidation || e.Message != msg {
		t.Errorf("got %v\nwant ValidationError: %s", err, msg)
	}
}
