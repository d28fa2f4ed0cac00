package roottask

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// Lost root credentials (docs/root-tasks.md, "Lost root credentials").
//
// AWS's way back is "Forgot password?" on the root sign-in page: a reset
// link goes to the root email address, and whoever reads that mailbox
// sets a new password. Gatehouse sends a one-time code to the same
// address (the outbox, and SMTP when configured). The code expires after
// ResetCodeLifetime, works once, survives MaxResetAttempts wrong tries,
// stops working when a newer one is requested, when the password or the
// root email address changes; only a hash of it is stored. A reset
// changes the password only: root's MFA devices stay, so signing in
// afterwards still needs an MFA code, as on AWS.
//
// The operator's way back, for whoever runs the server, is
// ResetRootCredentials ("gatehouse root reset-credentials"), which works
// on the store directly, as AWS Support would.

// ResetCodeLifetime is how long a root password reset code stays valid
// (AWS's reset link is valid for an hour).
const ResetCodeLifetime = time.Hour

// MaxResetAttempts is how many wrong codes a pending reset survives;
// after that it is forgotten, and root must request a new code.
const MaxResetAttempts = 5

// maxRootAccessKeys is the root user's access-key quota (iam's
// MaxRootAccessKeys; service packages do not import each other).
const maxRootAccessKeys = 2

// resetCodeAlphabet has 32 symbols without the look-alikes 0/O and 1/I,
// so each code symbol carries 5 bits.
const resetCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// resetCodeSymbols is the length of a code: 60 bits, written as three
// groups of four.
const resetCodeSymbols = 12

// resetFailed is the one answer to a wrong, expired, used or superseded
// code, and to an address that is no root user's: the answer does not
// tell which.
func resetFailed() error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "The password reset code is not valid: it is wrong, expired or already used. Request a new code.")
}

// rootByEmail returns the account whose root user has this email address
// (compared without regard to case), or nil.
func rootByEmail(tx Tx, email string) (*gatehouse.Account, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, nil
	}
	accounts, err := tx.Accounts()
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.Email != "" && strings.EqualFold(a.Email, email) {
			return a, nil
		}
	}
	return nil, nil
}

// newResetCode returns a random code such as "K7QX-M2PA-93TZ".
func (s *Service) newResetCode() (string, error) {
	b := make([]byte, resetCodeSymbols)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", fmt.Errorf("reset code: %w", err)
	}
	var c strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			c.WriteByte('-')
		}
		c.WriteByte(resetCodeAlphabet[x&31]) // 256 is a multiple of 32: uniform
	}
	return c.String(), nil
}

// normalizeResetCode drops the dashes and spaces a person may type and
// ignores case.
func normalizeResetCode(code string) string {
	if len(code) > 64 {
		return ""
	}
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
}

// resetCodeHash binds a code to the account and to the address it was
// sent to: after the root email address changes, the code is void.
func resetCodeHash(accountID, email, code string) string {
	sum := sha256.Sum256([]byte("root-password-reset\x00" + accountID + "\x00" + strings.ToLower(email) + "\x00" + normalizeResetCode(code)))
	return hex.EncodeToString(sum[:])
}

// RequestRootPasswordReset is "forgot password": when email is a root
// user's address, a new one-time code goes to it (replacing any earlier
// code) and the account is returned; otherwise nothing is sent and the
// account is nil, and the error is nil either way, so the caller can
// answer both alike. Both run one write transaction (which appends the
// audit record ctx carries), so the answer takes about as long either way.
func (s *Service) RequestRootPasswordReset(ctx context.Context, email, sourceIP string) (*gatehouse.Account, error) {
	code, err := s.newResetCode()
	if err != nil {
		return nil, err
	}
	var found *gatehouse.Account
	err = s.Store.Update(ctx, func(tx Tx) error {
		a, err := rootByEmail(tx, email)
		if err != nil || a == nil {
			return err
		}
		found = a
		noteAudit(ctx, a, "")
		now := s.now()
		r := &gatehouse.RootPasswordReset{AccountID: a.ID, CodeHash: resetCodeHash(a.ID, a.Email, code),
			CreatedAt: now, ExpiresAt: now.Add(ResetCodeLifetime)}
		if err := tx.PutRootPasswordReset(r); err != nil {
			return err
		}
		return s.send(tx, a, a.Email, "Reset your Gatehouse root user password",
			"Someone asked to reset the password of the root user of account "+a.ID+" at "+now.Format(time.RFC3339)+
				" (source IP address: "+printable(sourceIP, 64)+").\n"+
				"Password reset code: "+code+"\n"+
				"The code expires at "+r.ExpiresAt.Format(time.RFC3339)+" and works once; a newer request replaces it.\n"+
				"To set a new password: gatehouse root reset-password --email "+a.Email+" --code "+code+"\n"+
				"Resetting the password does not remove the root user's MFA devices: signing in still needs an MFA code.\n"+
				"If you did not ask for this, ignore this message: the password has not changed.\n")
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// ResetRootPassword completes "forgot password": with the code sent to
// the root email address, it sets the root password to next (8 to 128
// characters), forgets the code, ends root's sign-in sessions and sends
// a notice. A wrong code counts against the pending reset, which is
// forgotten after MaxResetAttempts of them. Every failure to prove the
// code is the same AccessDeniedException, and every attempt costs the
// same: one password hash and one write transaction, which appends the
// audit record ctx carries (naming the account when email is a root
// user's, with the error code of a failure). The account is returned
// when email is a root user's address, else nil.
func (s *Service) ResetRootPassword(ctx context.Context, email, code, next string) (*gatehouse.Account, error) {
	if n := utf8.RuneCountInString(next); n < MinPasswordLength || n > MaxPasswordLength {
		return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The new password must be %d to %d characters long.", MinPasswordLength, MaxPasswordLength)
	}
	// Hash first, whether or not the code turns out right: an unknown
	// address then takes as long as a known one.
	h, err := password.Hash(next, s.params(), s.rand())
	if err != nil {
		return nil, err
	}
	var found *gatehouse.Account
	var failure error
	err = s.Store.Update(ctx, func(tx Tx) error {
		found, failure = nil, nil
		a, err := rootByEmail(tx, email)
		if err != nil {
			return err
		}
		fail := func() error {
			failure = resetFailed()
			noteAudit(ctx, a, gatehouse.CodeDenied)
			return nil // commit the counted attempt and the record
		}
		if a == nil {
			return fail()
		}
		found = a
		r, err := tx.RootPasswordReset(a.ID)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return fail()
		} else if err != nil {
			return err
		}
		if !s.now().Before(r.ExpiresAt) || r.Attempts >= MaxResetAttempts {
			if err := tx.DeleteRootPasswordReset(a.ID); err != nil {
				return err
			}
			return fail()
		}
		if subtle.ConstantTimeCompare([]byte(resetCodeHash(a.ID, a.Email, code)), []byte(r.CodeHash)) != 1 {
			if r.Attempts++; r.Attempts >= MaxResetAttempts {
				err = tx.DeleteRootPasswordReset(a.ID)
			} else {
				err = tx.PutRootPasswordReset(r)
			}
			if err != nil {
				return err
			}
			return fail()
		}
		noteAudit(ctx, a, "")
		a.RootPasswordHash = h
		if err := tx.UpdateAccount(a); err != nil {
			return err
		}
		if err := tx.DeleteRootPasswordReset(a.ID); err != nil {
			return err
		}
		if _, err := tx.DeleteRootSessions(a.ID, true); err != nil {
			return err
		}
		return s.send(tx, a, a.Email, "Your Gatehouse root user password was reset",
			"The password of the root user of account "+a.ID+" was reset with a code sent to this address, at "+
				s.now().Format(time.RFC3339)+". Root sign-in sessions made before were ended; root's MFA devices and access keys are unchanged.\n"+
				"If you did not make this change, secure this mailbox and the account.\n")
	})
	if err != nil {
		return found, err
	}
	return found, failure
}

// noteAudit fills in the audit record ctx carries, if any and not yet
// written: the root user of a (when not nil) and the error code.
func noteAudit(ctx context.Context, a *gatehouse.Account, code gatehouse.Code) {
	rec := gatehouse.AuditFrom(ctx)
	if rec == nil || rec.Written() {
		return
	}
	if a != nil {
		rec.AccountID, rec.PrincipalARN, rec.PrincipalType, rec.Root = a.ID, a.RootARN(), gatehouse.PrincipalRoot, true
	}
	rec.SetError(code)
}

// CredentialsReset is what the operator's reset of root credentials does
// ("gatehouse root reset-credentials"). The caller makes the new secrets.
type CredentialsReset struct {
	AccountID string
	// Password becomes the root password (only its hash is stored).
	Password gatehouse.Secret
	// AccessKey, when set, is created as a new root access key (its ID
	// and secret made by the caller). Root may hold two keys: with two
	// already, the reset fails unless DeleteAccessKeys is set.
	AccessKey *gatehouse.AccessKey
	// DeleteAccessKeys deletes root's access keys (and the sessions made
	// with them) before any new one is created.
	DeleteAccessKeys bool
	// RemoveMFA deletes root's MFA devices, so that root can sign in with
	// the password alone.
	RemoveMFA bool
}

// CredentialsResetResult reports what ResetRootCredentials did.
type CredentialsResetResult struct {
	Account       *gatehouse.Account
	DeletedKeys   []string
	RemovedMFA    []string
	EndedSessions int
}

// ResetRootCredentials is the operator's way back to a root user whose
// credentials are lost, as AWS Support's: in one transaction it replaces
// the root password, optionally deletes root's access keys, creates a
// new one and removes root's MFA devices, ends root's sign-in sessions
// (all its sessions when the keys are deleted), forgets any pending
// password reset and sends a notice to the root email address. The audit
// record ctx carries commits with it.
func (s *Service) ResetRootCredentials(ctx context.Context, in CredentialsReset) (*CredentialsResetResult, error) {
	if n := utf8.RuneCountInString(in.Password.Reveal()); n < MinPasswordLength || n > MaxPasswordLength {
		return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The new password must be %d to %d characters long.", MinPasswordLength, MaxPasswordLength)
	}
	h, err := password.Hash(in.Password.Reveal(), s.params(), s.rand())
	if err != nil {
		return nil, err
	}
	res := &CredentialsResetResult{}
	err = s.update(ctx, in.AccountID, func(tx Tx, a *gatehouse.Account) error {
		res.Account = a
		res.DeletedKeys, res.RemovedMFA, res.EndedSessions = nil, nil, 0
		keys, err := tx.AccessKeys(a.ID, "")
		if err != nil {
			return err
		}
		if in.DeleteAccessKeys {
			for _, k := range keys {
				if err := tx.DeleteAccessKey(k.ID); err != nil {
					return err
				}
				res.DeletedKeys = append(res.DeletedKeys, k.ID)
			}
			keys = nil
		}
		if in.AccessKey != nil {
			if len(keys) >= maxRootAccessKeys {
				return gatehouse.Errorf(gatehouse.CodeLimit, "The root user of account %s already has %d access keys, the quota: delete them in the same reset, or delete one first.", a.ID, len(keys))
			}
			k := *in.AccessKey
			k.AccountID, k.UserName, k.Status = a.ID, "", gatehouse.KeyActive
			if k.CreatedAt.IsZero() {
				k.CreatedAt = s.now()
			}
			if err := tx.CreateAccessKey(&k); err != nil {
				return err
			}
			*in.AccessKey = k
		}
		if in.RemoveMFA {
			devices, err := tx.MFADevices(a.ID)
			if err != nil {
				return err
			}
			for _, d := range devices {
				if d.UserName != gatehouse.RootUserName {
					continue
				}
				if err := tx.DeleteMFADevice(d.SerialNumber); err != nil {
					return err
				}
				res.RemovedMFA = append(res.RemovedMFA, d.SerialNumber)
			}
		}
		if res.EndedSessions, err = tx.DeleteRootSessions(a.ID, !in.DeleteAccessKeys); err != nil {
			return err
		}
		if err := tx.DeleteRootPasswordReset(a.ID); err != nil {
			return err
		}
		a.RootPasswordHash = h
		if a.Email == "" {
			return nil // no address to notify (a GovCloud account's root)
		}
		var what strings.Builder
		what.WriteString("- the root password was replaced\n")
		if len(res.DeletedKeys) > 0 {
			fmt.Fprintf(&what, "- root's access keys were deleted: %s\n", strings.Join(res.DeletedKeys, ", "))
		}
		if in.AccessKey != nil {
			fmt.Fprintf(&what, "- a new root access key was created: %s\n", in.AccessKey.ID)
		}
		if len(res.RemovedMFA) > 0 {
			fmt.Fprintf(&what, "- root's MFA devices were removed: %s\n", strings.Join(res.RemovedMFA, ", "))
		}
		fmt.Fprintf(&what, "- %d root session(s) were ended\n", res.EndedSessions)
		return s.send(tx, a, a.Email, "The Gatehouse operator reset your root user credentials",
			"The operator of this Gatehouse server reset the credentials of the root user of account "+a.ID+
				" at "+s.now().Format(time.RFC3339)+":\n"+what.String()+
				"The new credentials were given to the operator. If you did not ask for this, contact the operator.\n")
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
