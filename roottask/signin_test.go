package roottask

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// fastHash keeps the tests quick; the parameters do not change the rules.
var fastHash = password.Params{Memory: 64, Time: 1, Threads: 1}

func newService(t *testing.T) *Service {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.MemoryPath, sqlite.Options{SecretKey: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hash, err := password.Hash("the root password", fastHash, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx gatehouse.Tx) error {
		for _, a := range []*gatehouse.Account{
			{ID: "111111111111", Email: "Root@Example.com", RootPasswordHash: hash},
			{ID: "222222222222", Email: "nopassword@example.com"},
		} {
			if err := tx.CreateAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	return &Service{Store: gatehouse.Narrow[Tx](st), HashParams: &fastHash, Now: func() time.Time { return now }}
}

func TestCheckRootSignIn(t *testing.T) {
	s := newService(t)
	const wrong = "Your authentication information is incorrect. Please try again."
	for _, tc := range []struct {
		name, email, password string
		account               string // the account returned ("" for none)
		ok                    bool
	}{
		{"right", "root@example.com", "the root password", "111111111111", true},
		{"case and spaces", "  ROOT@EXAMPLE.COM ", "the root password", "111111111111", true},
		{"wrong password", "root@example.com", "The root password", "111111111111", false},
		{"empty password", "root@example.com", "", "111111111111", false},
		{"unknown address", "nobody@example.com", "the root password", "", false},
		{"root without a password", "nopassword@example.com", "", "222222222222", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := s.CheckRootSignIn(context.Background(), tc.email, tc.password)
			var got string
			if a != nil {
				got = a.ID
			}
			if got != tc.account {
				t.Errorf("account %q, want %q", got, tc.account)
			}
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if err != nil && (gatehouse.ErrorCode(err) != gatehouse.CodeDenied || gatehouse.ErrorMessage(err) != wrong) {
				t.Errorf("error %s %q, want the one answer for every failure", gatehouse.ErrorCode(err), gatehouse.ErrorMessage(err))
			}
		})
	}
}

func TestSignInNotice(t *testing.T) {
	s := newService(t)
	a := &gatehouse.Account{ID: "111111111111", Email: "root@example.com"}
	err := s.Store.Update(context.Background(), whole(func(tx gatehouse.Tx) error {
		return s.SignInNotice(tx, a, "192.0.2.7", "evil\r\nSubject: injected", true)
	}))
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*gatehouse.OutboxMessage
	s.Store.View(context.Background(), whole(func(tx gatehouse.Tx) error {
		msgs, err = tx.OutboxMessages(a.ID)
		return err
	}))
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.To != "root@example.com" || !strings.Contains(m.Body.Reveal(), "192.0.2.7") || !strings.Contains(m.Body.Reveal(), "an MFA code") ||
		!strings.Contains(m.Body.Reveal(), "2026-11-29T12:00:00Z") {
		t.Errorf("message %+v", m)
	}
	if strings.Contains(m.Body.Reveal(), "\nSubject: injected") {
		t.Errorf("the user agent added a line: %q", m.Body.Reveal())
	}
}

func TestPrintable(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"", 10, "(none)"},
		{"curl/8.0", 10, "curl/8.0"},
		{"a\nb\tc\x00d", 10, "a b c d"},
		{"abcdef", 3, "abc…"},
		{"ééé", 2, "éé…"},
	} {
		if got := printable(tc.in, tc.n); got != tc.want {
			t.Errorf("printable(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// whole adapts fn, which reads or writes what the service does not, to
// the service's transactions: the store behind them is the whole Tx.
func whole(fn func(tx gatehouse.Tx) error) func(tx Tx) error {
	return func(tx Tx) error { return fn(tx.(gatehouse.Tx)) }
}
