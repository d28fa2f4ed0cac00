package roottask

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestEmailControlCharacters checks that the new root email address of
// StartRootEmailUpdate and ConfirmRootEmailUpdate refuses control
// characters, line separators, display names and anything else outside
// gatehouse.EmailPattern, with the model-style ValidationException that
// does not echo the address, and that nothing goes to the outbox.
func TestEmailControlCharacters(t *testing.T) {
	s := newService(t)
	const account = "111111111111"
	pattern := "1 validation error detected: Value at 'newEmail' failed to satisfy constraint: " +
		"Member must satisfy regular expression pattern: " + gatehouse.EmailPattern
	cases := []struct{ name, email, message string }{
		{"NUL", "new\x00@example.com", pattern},
		{"SOH", "new@exa\x01mple.com", pattern},
		{"ESC", "new@example.com\x1b[2J", pattern},
		{"DEL", "ne\x7fw@example.com", pattern},
		{"line separator", "new@example\u2028.com", pattern},
		{"CRLF header", "new@example.com\r\nBcc: victim@example.com", pattern},
		{"trailing new line", "new@example.com\n", pattern},
		{"leading space", " new@example.com", pattern},
		{"display name", "New Root <new@example.com>", pattern},
		{"quoted local part", `"new root"@example.com`, pattern},
		{"no dot in the domain", "new@localhost", pattern},
		{"empty", "", "1 validation error detected: Value at 'newEmail' failed to satisfy constraint: Member must not be null"},
		{"too long", strings.Repeat("a", 250) + "@example.com",
			"1 validation error detected: Value at 'newEmail' failed to satisfy constraint: Member must have length less than or equal to 254"},
	}
	calls := []struct {
		name string
		call func(email string) error
	}{
		{"StartEmailUpdate", func(e string) error { return s.StartEmailUpdate(t.Context(), account, e) }},
		{"ConfirmEmailUpdate", func(e string) error { return s.ConfirmEmailUpdate(t.Context(), account, e, "123456") }},
	}
	for _, call := range calls {
		for _, c := range cases {
			t.Run(call.name+"/"+c.name, func(t *testing.T) {
				err := call.call(c.email)
				var ve *gatehouse.ValidationError
				if !errors.As(err, &ve) || ve.Err.Code != gatehouse.CodeInvalid || ve.Err.Message != c.message ||
					ve.Reason != "fieldValidationFailed" || len(ve.Fields) != 1 || ve.Fields[0].Name != "newEmail" {
					t.Fatalf("got %#v\nwant ValidationException: %s", err, c.message)
				}
			})
		}
	}
	var msgs []*gatehouse.OutboxMessage
	if err := s.Store.View(t.Context(), whole(func(tx gatehouse.Tx) error {
		var err error
		msgs, err = tx.OutboxMessages(account)
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 0 {
		t.Errorf("%d outbox messages for refused addresses", len(msgs))
	}
	// Addresses of the pattern are taken.
	for _, ok := range []string{"new.root+ops@example.com", "a_b=c#d|e!f&g-h@sub.example-1.co", "X@Y.Z"} {
		if err := s.StartEmailUpdate(t.Context(), account, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
