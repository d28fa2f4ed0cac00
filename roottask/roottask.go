// Package roottask runs the account tasks AWS reserves for the root user
// and offers only in its console (aws-reference §1.2 A1, A2, B1): changing
// the root password and email address, closing and reopening the account,
// and the "IAM user and role access to Billing information" switch.
//
// The api package serves them as Gatehouse's own REST-JSON service
// (signing name "gatehouse") and enforces that only root calls them; this
// package holds the business rules over the root Store contract. What AWS
// would email goes to the store's outbox.
package roottask

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// CodeLifetime is how long an email confirmation code stays valid.
const CodeLifetime = 24 * time.Hour

// Root password length limits (AWS's, for the root user; the account's
// IAM password policy does not apply to root).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// Service runs the root-only account tasks.
type Service struct {
	Store *gatehouse.TxStore[Tx]
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of confirmation codes and password salts; nil
	// means crypto/rand.
	Rand io.Reader
	// HashParams are the password hash parameters; the zero value means
	// password.Default.
	HashParams *password.Params
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func (s *Service) params() password.Params {
	if s.HashParams != nil {
		return *s.HashParams
	}
	return password.Default
}

// update runs fn on the account inside one transaction and stores it.
func (s *Service) update(ctx context.Context, accountID string, fn func(tx Tx, a *gatehouse.Account) error) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		if err := fn(tx, a); err != nil {
			return err
		}
		return tx.UpdateAccount(a)
	})
}

// Account returns the account (for its state and billing switch).
func (s *Service) Account(ctx context.Context, accountID string) (*gatehouse.Account, error) {
	var a *gatehouse.Account
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		a, err = tx.Account(accountID)
		return err
	})
	return a, err
}

// ChangeRootPassword replaces the root password after checking the
// current one (which must be empty when root has none). Only the hash is
// stored; a notice goes to the root email address.
func (s *Service) ChangeRootPassword(ctx context.Context, accountID, current, next string) error {
	if n := utf8.RuneCountInString(next); n < MinPasswordLength || n > MaxPasswordLength {
		return gatehouse.Errorf(gatehouse.CodeInvalid, "The new password must be %d to %d characters long.", MinPasswordLength, MaxPasswordLength)
	}
	// Check before hashing, outside the write transaction: hashing is slow.
	a, err := s.Account(ctx, accountID)
	if err != nil {
		return err
	}
	if err := checkPassword(a.RootPasswordHash, current); err != nil {
		return err
	}
	if next == current {
		return gatehouse.Errorf(gatehouse.CodeInvalid, "The new password must differ from the current password.")
	}
	h, err := password.Hash(next, s.params(), s.rand())
	if err != nil {
		return err
	}
	return s.update(ctx, accountID, func(tx Tx, a *gatehouse.Account) error {
		if err := checkPassword(a.RootPasswordHash, current); err != nil { // changed meanwhile
			return err
		}
		a.RootPasswordHash = h
		// A reset code requested before no longer works.
		if err := tx.DeleteRootPasswordReset(a.ID); err != nil {
			return err
		}
		return s.send(tx, a, a.Email, "Your Gatehouse root user password was changed",
			"The password of the root user of account "+a.ID+" was changed at "+s.now().Format(time.RFC3339)+".\n"+
				"If you did not make this change, sign in as root and secure the account.\n")
	})
}

func checkPassword(hash, current string) error {
	wrong := gatehouse.Errorf(gatehouse.CodeDenied, "The current password is incorrect.")
	if hash == "" {
		if current != "" {
			return wrong
		}
		return nil
	}
	ok, err := password.Check(hash, current)
	if err != nil {
		return err
	}
	if !ok {
		return wrong
	}
	return nil
}

// validEmail checks an email address as account creation does
// (gatehouse.ValidEmail), worded as the Account Management API words a
// field that fails its model: the address is not echoed.
func validEmail(field, email string) error {
	var msg string
	switch {
	case email == "":
		msg = "Member must not be null"
	case utf8.RuneCountInString(email) > gatehouse.MaxEmailLength:
		msg = fmt.Sprintf("Member must have length less than or equal to %d", gatehouse.MaxEmailLength)
	case !gatehouse.ValidEmail(email):
		msg = "Member must satisfy regular expression pattern: " + gatehouse.EmailPattern
	default:
		return nil
	}
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value at '%s' failed to satisfy constraint: %s", field, msg),
		Reason: "fieldValidationFailed",
		Fields: []gatehouse.FieldError{{Name: field, Message: msg}},
	}
}

// StartEmailUpdate starts changing the root email address: a 6-digit
// code goes to the new address, valid for CodeLifetime; a later start
// replaces an earlier one.
func (s *Service) StartEmailUpdate(ctx context.Context, accountID, newEmail string) error {
	if err := validEmail("newEmail", newEmail); err != nil {
		return err
	}
	return s.update(ctx, accountID, func(tx Tx, a *gatehouse.Account) error {
		if strings.EqualFold(a.Email, newEmail) {
			return gatehouse.Errorf(gatehouse.CodeInvalid, "The new email address is the current root email address.")
		}
		if err := emailTaken(tx, a.ID, newEmail); err != nil {
			return err
		}
		n, err := rand.Int(s.rand(), big.NewInt(1_000_000))
		if err != nil {
			return fmt.Errorf("confirmation code: %w", err)
		}
		code := fmt.Sprintf("%06d", n.Int64())
		a.PendingEmail = &gatehouse.PendingEmailUpdate{Email: newEmail, CodeHash: codeHash(a.ID, newEmail, code),
			ExpiresAt: s.now().Add(CodeLifetime)}
		return s.send(tx, a, newEmail, "Confirm your new Gatehouse root email address",
			"Someone asked to make "+newEmail+" the root user email address of account "+a.ID+".\n"+
				"Confirmation code: "+code+"\n"+
				"The code expires at "+a.PendingEmail.ExpiresAt.Format(time.RFC3339)+" and can be used once.\n")
	})
}

// ConfirmEmailUpdate completes an email change with the code sent to the
// new address. The code is single-use; a notice goes to the old address.
func (s *Service) ConfirmEmailUpdate(ctx context.Context, accountID, newEmail, code string) error {
	if err := validEmail("newEmail", newEmail); err != nil {
		return err
	}
	var expired bool
	err := s.update(ctx, accountID, func(tx Tx, a *gatehouse.Account) error {
		p := a.PendingEmail
		if p == nil || !strings.EqualFold(p.Email, newEmail) {
			return gatehouse.Errorf(gatehouse.CodeInvalid, "There is no pending email update to %s: start one with StartRootEmailUpdate.", newEmail)
		}
		if !s.now().Before(p.ExpiresAt) {
			expired = true
			return gatehouse.Errorf(gatehouse.CodeInvalid, "The confirmation code has expired: start a new email update.")
		}
		if subtle.ConstantTimeCompare([]byte(codeHash(a.ID, p.Email, code)), []byte(p.CodeHash)) != 1 {
			return gatehouse.Errorf(gatehouse.CodeInvalid, "The confirmation code is not valid.")
		}
		if err := emailTaken(tx, a.ID, p.Email); err != nil {
			return err
		}
		old := a.Email
		a.Email, a.PendingEmail = p.Email, nil
		// A password reset code went to the old address: it no longer
		// works (its hash names that address too).
		if err := tx.DeleteRootPasswordReset(a.ID); err != nil {
			return err
		}
		return s.send(tx, a, old, "Your Gatehouse root email address was changed",
			"The root user email address of account "+a.ID+" was changed from "+old+" to "+a.Email+".\n")
	})
	if expired { // forget the expired code, so it can never be used
		s.update(ctx, accountID, func(_ Tx, a *gatehouse.Account) error {
			if a.PendingEmail != nil && !s.now().Before(a.PendingEmail.ExpiresAt) {
				a.PendingEmail = nil
			}
			return nil
		})
	}
	return err
}

func emailTaken(tx Tx, accountID, email string) error {
	accounts, err := tx.Accounts()
	if err != nil {
		return err
	}
	for _, o := range accounts {
		if o.ID != accountID && strings.EqualFold(o.Email, email) {
			return gatehouse.Errorf(gatehouse.CodeConflict, "The email address is already the root email address of another account.")
		}
	}
	return nil
}

func codeHash(accountID, email, code string) string {
	sum := sha256.Sum256([]byte(accountID + "\x00" + strings.ToLower(email) + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// CloseAccount closes the account. While it is closed the api package
// refuses every request of its principals, except root's ReopenAccount
// and GetAccountStatus.
func (s *Service) CloseAccount(ctx context.Context, accountID string) error {
	return s.update(ctx, accountID, func(tx Tx, a *gatehouse.Account) error {
		if a.Closed() {
			return gatehouse.Errorf(gatehouse.CodeConflict, "The account %s is already closed.", a.ID)
		}
		a.ClosedAt = s.now().Truncate(time.Second)
		a.PendingEmail = nil
		deadline := a.ClosedAt.Add(gatehouse.ReopenWindow)
		return s.send(tx, a, a.Email, "Your Gatehouse account was closed",
			"Account "+a.ID+" was closed at "+a.ClosedAt.Format(time.RFC3339)+".\n"+
				"Its IAM users, roles and access keys, root's included, can no longer be used. The root user can sign in (gatehouse root sign-in) and reopen it until "+
				deadline.Format(time.RFC3339)+" (gatehouse root reopen-account); after that it is gone for good.\n")
	})
}

// ReopenAccount reopens a closed account within gatehouse.ReopenWindow of
// its closure.
func (s *Service) ReopenAccount(ctx context.Context, accountID string) error {
	return s.update(ctx, accountID, func(tx Tx, a *gatehouse.Account) error {
		if !a.Closed() {
			return gatehouse.Errorf(gatehouse.CodeConflict, "The account %s is not closed.", a.ID)
		}
		if s.now().Sub(a.ClosedAt) > gatehouse.ReopenWindow {
			return gatehouse.Errorf(gatehouse.CodeConflict, "The account %s was closed on %s, more than 90 days ago, and can no longer be reopened.",
				a.ID, a.ClosedAt.Format(time.RFC3339))
		}
		a.ClosedAt = time.Time{}
		return s.send(tx, a, a.Email, "Your Gatehouse account was reopened",
			"Account "+a.ID+" was reopened at "+s.now().Format(time.RFC3339)+".\n")
	})
}

// SetIAMBillingAccess turns the IAM billing access switch on or off.
func (s *Service) SetIAMBillingAccess(ctx context.Context, accountID string, on bool) error {
	return s.update(ctx, accountID, func(_ Tx, a *gatehouse.Account) error {
		a.IAMBillingAccess = on
		return nil
	})
}

// send puts a message for to in the outbox, in the caller's transaction.
func (s *Service) send(tx Tx, a *gatehouse.Account, to, subject, body string) error {
	return tx.AddOutboxMessage(&gatehouse.OutboxMessage{AccountID: a.ID, To: to, Subject: subject, Body: gatehouse.Secret(body), CreatedAt: s.now()})
}
