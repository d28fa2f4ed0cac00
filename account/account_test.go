package account_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/account"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

const accountID = "123456789012"

func newService(t *testing.T) *account.Service {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.MemoryPath, sqlite.Options{SecretKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Update(t.Context(), func(tx gatehouse.Tx) error {
		return tx.CreateAccount(&gatehouse.Account{ID: accountID, Email: "root@example.com"})
	}); err != nil {
		t.Fatal(err)
	}
	return &account.Service{Store: gatehouse.Narrow[account.Tx](st)}
}

// TestControlCharacters checks the members of the Account Management API
// that have a pattern in the model against control characters: each is
// refused with the ValidationException (reason fieldValidationFailed)
// naming the member and the model's pattern, without echoing the value.
// The model's \s is Java's, vertical tab included, so a vertical tab is
// taken where the pattern allows white space.
func TestControlCharacters(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	contact := func(phone string) *gatehouse.ContactInformation {
		return &gatehouse.ContactInformation{FullName: "Jane Doe", AddressLine1: "1 Main St", City: "Springfield",
			PostalCode: "12345", CountryCode: "US", PhoneNumber: phone}
	}
	alternate := func(email, phone string) *gatehouse.AlternateContact {
		return &gatehouse.AlternateContact{Type: gatehouse.ContactSecurity, Name: "Sec", Title: "CISO", EmailAddress: email, PhoneNumber: phone}
	}
	cases := []struct {
		field, pattern string
		call           func(x string) error
		// javaSpace is set where the pattern takes \s, so a vertical tab
		// (where the value puts x) is allowed.
		javaSpace bool
	}{
		{"accountName", "[ -;=?-~]+", func(x string) error { return s.PutAccountName(ctx, accountID, "Prod"+x) }, false},
		{"contactInformation.phoneNumber", `[+][\s0-9()-]+`, func(x string) error {
			return s.PutContactInformation(ctx, accountID, contact("+1 555"+x+"0100"))
		}, true},
		{"emailAddress", `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`, func(x string) error {
			return s.PutAlternateContact(ctx, accountID, alternate("sec@example.com"+x, "+1 555 0100"))
		}, true},
		{"emailAddress", `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`, func(x string) error {
			return s.PutAlternateContact(ctx, accountID, alternate("se"+x+"c@example.com", "+1 555 0100"))
		}, false},
		{"phoneNumber", `[\s0-9()+-]+`, func(x string) error {
			return s.PutAlternateContact(ctx, accountID, alternate("sec@example.com", "555"+x+"0100"))
		}, true},
	}
	chars := []struct{ name, c string }{
		{"NUL", "\x00"}, {"SOH", "\x01"}, {"ESC", "\x1b"}, {"DEL", "\x7f"}, {"LINE SEPARATOR", "\u2028"},
		{"VT", "\x0b"},
	}
	for _, c := range cases {
		for _, cc := range chars {
			t.Run(c.field+"/"+cc.name, func(t *testing.T) {
				err := c.call(cc.c)
				if cc.c == "\x0b" && c.javaSpace {
					if err != nil {
						t.Fatalf("Java's \\s takes a vertical tab: %v", err)
					}
					return
				}
				want := "1 validation error detected: Value at '" + c.field +
					"' failed to satisfy constraint: Member must satisfy regular expression pattern: " + c.pattern
				var ve *gatehouse.ValidationError
				if !errors.As(err, &ve) || ve.Err.Code != gatehouse.CodeInvalid || ve.Err.Message != want ||
					ve.Reason != account.ReasonFieldValidationFailed {
					t.Fatalf("got %v\nwant %s", err, want)
				}
				if strings.Contains(ve.Err.Message, cc.c) {
					t.Errorf("the message echoes the value")
				}
			})
		}
	}
}
