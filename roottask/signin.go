package roottask

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// Root sign-in: the root user proves who it is with the account's email
// address and root password (and an MFA code when root has a device; the
// api package checks that), as on AWS's sign-in page. This package checks
// the password and writes the sign-in notice; the api package issues the
// session.

// signInFailed is the one answer to a wrong email address or password,
// so that the answer does not tell which was wrong (AWS's sign-in page
// words it the same way).
func signInFailed() error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "Your authentication information is incorrect. Please try again.")
}

// dummyHash is checked against when no root user has the email address
// given, so that an unknown address costs as much time as a wrong
// password and the answer's timing does not reveal the addresses in use.
var dummyHash struct {
	once sync.Once
	hash string
}

func (s *Service) dummyHash() string {
	dummyHash.once.Do(func() {
		h, err := password.Hash("gatehouse-sign-in-timing-equaliser", s.params(), s.rand())
		if err == nil {
			dummyHash.hash = h
		}
	})
	return dummyHash.hash
}

// CheckRootSignIn returns the account whose root user has this email
// address (compared without regard to case) and password. A root user
// without a password cannot sign in. On failure the error is the same
// AccessDeniedException whatever was wrong; the account is returned too
// when the address matched one (for the audit record), else nil.
func (s *Service) CheckRootSignIn(ctx context.Context, email, pw string) (*gatehouse.Account, error) {
	var found *gatehouse.Account
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		found, err = rootByEmail(tx, email)
		return err
	})
	if err != nil {
		return nil, err
	}
	hash := s.dummyHash()
	if found != nil && found.RootPasswordHash != "" {
		hash = found.RootPasswordHash
	}
	ok, err := password.Check(hash, pw)
	if err != nil && hash != "" {
		return found, err
	}
	if !ok || found == nil || found.RootPasswordHash == "" {
		return found, signInFailed()
	}
	return found, nil
}

// SignInNotice puts the notice of a root sign-in in the outbox, in the
// transaction tx that starts the root session.
func (s *Service) SignInNotice(tx Tx, a *gatehouse.Account, sourceIP, userAgent string, mfa bool) error {
	how := "with the root password"
	if mfa {
		how = "with the root password and an MFA code"
	}
	body := "The root user of account " + a.ID + " signed in at " + s.now().Format(time.RFC3339) + " " + how + ".\n" +
		"Source IP address: " + printable(sourceIP, 64) + "\n" +
		"User agent: " + printable(userAgent, 200) + "\n" +
		"If this was not you, change the root password (gatehouse root change-password) and review the account.\n"
	return s.send(tx, a, a.Email, "Root user sign-in to your Gatehouse account", body)
}

// printable clips s to n runes and replaces control characters, so a
// value taken from a request cannot add lines to a message.
func printable(s string, n int) string {
	if s == "" {
		return "(none)"
	}
	var b strings.Builder
	for i, r := range []rune(s) {
		if i == n {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}
