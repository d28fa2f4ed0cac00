package iam

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/password"
)

// IAM users' console passwords (login profiles) and the account password
// policy that governs them (aws-reference §6.1 "Console passwords",
// "Account-level"). The policy never applies to the root user, whose
// password is the roottask package's.

// Password policy bounds and defaults (UpdateAccountPasswordPolicy).
const (
	DefaultMinimumPasswordLength = 6
	MaxMinimumPasswordLength     = 128
	MaxPasswordAgeDays           = 1095
)

// passwordSymbols are the characters AWS counts as symbols.
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

// PasswordPolicyInput is UpdateAccountPasswordPolicy's input: a nil
// member takes AWS's default.
type PasswordPolicyInput struct {
	MinimumPasswordLength      *int
	RequireSymbols             *bool
	RequireNumbers             *bool
	RequireUppercaseCharacters *bool
	RequireLowercaseCharacters *bool
	AllowUsersToChangePassword *bool
	MaxPasswordAge             *int
	PasswordReusePrevention    *int
	HardExpiry                 *bool
}

func orFalse(b *bool) bool { return b != nil && *b }

// UpdatePasswordPolicy replaces the account's password policy; members
// left out take their defaults (they are not kept from the old policy),
// as AWS does.
func (s *Service) UpdatePasswordPolicy(ctx context.Context, account string, in PasswordPolicyInput) error {
	p := gatehouse.PasswordPolicy{
		MinimumPasswordLength:      DefaultMinimumPasswordLength,
		RequireSymbols:             orFalse(in.RequireSymbols),
		RequireNumbers:             orFalse(in.RequireNumbers),
		RequireUppercaseCharacters: orFalse(in.RequireUppercaseCharacters),
		RequireLowercaseCharacters: orFalse(in.RequireLowercaseCharacters),
		AllowUsersToChangePassword: orFalse(in.AllowUsersToChangePassword),
		HardExpiry:                 orFalse(in.HardExpiry),
	}
	if n := in.MinimumPasswordLength; n != nil {
		if err := checkRange(*n, "minimumPasswordLength", DefaultMinimumPasswordLength, MaxMinimumPasswordLength); err != nil {
			return err
		}
		p.MinimumPasswordLength = *n
	}
	if n := in.MaxPasswordAge; n != nil {
		if err := checkRange(*n, "maxPasswordAge", 1, MaxPasswordAgeDays); err != nil {
			return err
		}
		p.MaxPasswordAge = *n
	}
	if n := in.PasswordReusePrevention; n != nil {
		if err := checkRange(*n, "passwordReusePrevention", 1, gatehouse.MaxPasswordHistory); err != nil {
			return err
		}
		p.PasswordReusePrevention = *n
	}
	return s.updateSettings(ctx, account, func(st *gatehouse.AccountSettings) error {
		st.PasswordPolicy = &p
		return nil
	})
}

func checkRange(n int, field string, lo, hi int) error {
	switch {
	case n < lo:
		return validationError(fmt.Sprint(n), field, fmt.Sprintf("have value greater than or equal to %d", lo))
	case n > hi:
		return validationError(fmt.Sprint(n), field, fmt.Sprintf("have value less than or equal to %d", hi))
	}
	return nil
}

// updateSettings changes the account's settings in one transaction.
func (s *Service) updateSettings(ctx context.Context, account string, change func(*gatehouse.AccountSettings) error) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		st, err := tx.AccountSettings(account)
		if err != nil {
			return err
		}
		if err := change(st); err != nil {
			return err
		}
		return tx.PutAccountSettings(account, st)
	})
}

func noPasswordPolicy(account string) error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "The Password Policy with domain name %s cannot be found.", account)
}

// PasswordPolicy returns the account's password policy; NoSuchEntity
// when none is set.
func (s *Service) PasswordPolicy(ctx context.Context, account string) (*gatehouse.PasswordPolicy, error) {
	var p *gatehouse.PasswordPolicy
	err := s.Store.View(ctx, func(tx Tx) error {
		st, err := tx.AccountSettings(account)
		if err != nil {
			return err
		}
		p = st.PasswordPolicy
		return nil
	})
	if err == nil && p == nil {
		err = noPasswordPolicy(account)
	}
	return p, err
}

// DeletePasswordPolicy removes the account's password policy (the
// default policy applies again).
func (s *Service) DeletePasswordPolicy(ctx context.Context, account string) error {
	return s.updateSettings(ctx, account, func(st *gatehouse.AccountSettings) error {
		if st.PasswordPolicy == nil {
			return noPasswordPolicy(account)
		}
		st.PasswordPolicy = nil
		return nil
	})
}

// checkPasswordValue validates a password member as the model does
// (1 to 128 characters of [\t\n\r\x20-\xFF]) without ever putting the
// value in the message.
func checkPasswordValue(pw, field string) error {
	valid := pw != "" && utf8.RuneCountInString(pw) <= 128
	for _, r := range pw {
		if !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF) {
			valid = false
		}
	}
	if !valid {
		return gatehouse.Errorf(gatehouse.CodeInvalid,
			`1 validation error detected: Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+ and have length between 1 and 128`, field)
	}
	return nil
}

func violation(format string, args ...any) error {
	return gatehouse.Errorf(gatehouse.CodePasswordPolicyViolation, format, args...)
}

// CheckPassword checks a new password of an IAM user against the
// account's password policy, or against AWS's default policy when the
// account has none (at least 8 characters, three of the four character
// kinds, not the account name or root email address).
func CheckPassword(p *gatehouse.PasswordPolicy, a *gatehouse.Account, pw string) error {
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	n := utf8.RuneCountInString(pw)
	if p == nil {
		kinds := 0
		for _, ok := range []bool{upper, lower, digit, symbol} {
			if ok {
				kinds++
			}
		}
		switch {
		case n < 8:
			return violation("Password should have a minimum length of 8")
		case kinds < 3:
			return violation("Password should have at least three of: uppercase letters, lowercase letters, numbers and symbols (%s)", passwordSymbols)
		case a != nil && (strings.EqualFold(pw, a.Name) || strings.EqualFold(pw, a.Email)):
			return violation("Password should not be the account name or email address")
		}
		return nil
	}
	switch {
	case n < p.MinimumPasswordLength:
		return violation("Password should have a minimum length of %d", p.MinimumPasswordLength)
	case p.RequireUppercaseCharacters && !upper:
		return violation("Password should have at least one uppercase letter")
	case p.RequireLowercaseCharacters && !lower:
		return violation("Password should have at least one lowercase letter")
	case p.RequireNumbers && !digit:
		return violation("Password should have at least one number")
	case p.RequireSymbols && !symbol:
		return violation("Password should have at least one symbol")
	}
	return nil
}

// LoginProfile is a login profile as the API shows it.
type LoginProfile struct {
	UserName              string
	CreatedAt             time.Time
	PasswordResetRequired bool
}

func view(p *gatehouse.LoginProfile) *LoginProfile {
	return &LoginProfile{UserName: p.UserName, CreatedAt: p.CreatedAt, PasswordResetRequired: p.PasswordResetRequired}
}

// passwordContext reads what checking a new password needs: the user,
// the account and its password policy.
func passwordContext(tx Tx, account, userName string) (*gatehouse.User, *gatehouse.Account, *gatehouse.PasswordPolicy, error) {
	u, err := getUser(tx, account, userName)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := tx.Account(account)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := tx.AccountSettings(account)
	if err != nil {
		return nil, nil, nil, err
	}
	return u, a, st.PasswordPolicy, nil
}

// hashPassword hashes a password with the service's parameters.
func (s *Service) hashPassword(pw string) (string, error) {
	params := password.Default
	if s.PasswordParams != nil {
		params = *s.PasswordParams
	}
	return password.Hash(pw, params, s.rand())
}

// CreateLoginProfile gives a user a console password that satisfies the
// password policy.
func (s *Service) CreateLoginProfile(ctx context.Context, account, userName, pw string, resetRequired bool) (*LoginProfile, error) {
	if err := checkPasswordValue(pw, "password"); err != nil {
		return nil, err
	}
	// Hash outside the write transaction: hashing is slow.
	hash, err := s.hashPassword(pw)
	if err != nil {
		return nil, err
	}
	var out *LoginProfile
	err = s.Store.Update(ctx, func(tx Tx) error {
		u, a, policy, err := passwordContext(tx, account, userName)
		if err != nil {
			return err
		}
		if _, err := tx.LoginProfile(account, u.Name); err == nil {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Login Profile for user %s already exists.", u.Name)
		}
		if err := CheckPassword(policy, a, pw); err != nil {
			return err
		}
		p := &gatehouse.LoginProfile{AccountID: account, UserName: u.Name, PasswordHash: hash,
			PasswordResetRequired: resetRequired, CreatedAt: s.now()}
		if err := tx.CreateLoginProfile(p); err != nil {
			return err
		}
		out = view(p)
		return nil
	})
	return out, err
}

// GetLoginProfile returns a user's login profile.
func (s *Service) GetLoginProfile(ctx context.Context, account, userName string) (*LoginProfile, error) {
	var out *LoginProfile
	err := s.Store.View(ctx, func(tx Tx) error {
		u, err := getUser(tx, account, userName)
		if err != nil {
			return err
		}
		p, err := tx.LoginProfile(account, u.Name)
		if err != nil {
			return err
		}
		out = view(p)
		return nil
	})
	return out, err
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, account, userName string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		u, err := getUser(tx, account, userName)
		if err != nil {
			return err
		}
		return tx.DeleteLoginProfile(account, u.Name)
	})
}

// UpdateLoginProfile sets a user's password (when pw is not nil) and its
// reset flag (when resetRequired is not nil), as an administrator.
func (s *Service) UpdateLoginProfile(ctx context.Context, account, userName string, pw *string, resetRequired *bool) error {
	var hash string
	if pw != nil {
		if err := checkPasswordValue(*pw, "password"); err != nil {
			return err
		}
		var err error
		if hash, err = s.hashPassword(*pw); err != nil {
			return err
		}
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		u, a, policy, err := passwordContext(tx, account, userName)
		if err != nil {
			return err
		}
		p, err := tx.LoginProfile(account, u.Name)
		if err != nil {
			return err
		}
		if pw != nil {
			if err := s.setPassword(p, policy, a, *pw, hash); err != nil {
				return err
			}
		}
		if resetRequired != nil {
			p.PasswordResetRequired = *resetRequired
		}
		return tx.UpdateLoginProfile(p)
	})
}

// setPassword puts a new password in p after checking it against the
// policy and the profile's history.
func (s *Service) setPassword(p *gatehouse.LoginProfile, policy *gatehouse.PasswordPolicy, a *gatehouse.Account, pw, hash string) error {
	if err := CheckPassword(policy, a, pw); err != nil {
		return err
	}
	if policy != nil && policy.PasswordReusePrevention > 0 {
		recent := append([]string{p.PasswordHash}, p.History...)
		for _, h := range recent[:min(policy.PasswordReusePrevention, len(recent))] {
			if ok, err := password.Check(h, pw); err == nil && ok {
				return violation("Password should not be one of your last %d passwords", policy.PasswordReusePrevention)
			}
		}
	}
	p.History = append([]string{p.PasswordHash}, p.History...)
	if len(p.History) > gatehouse.MaxPasswordHistory {
		p.History = p.History[:gatehouse.MaxPasswordHistory]
	}
	p.PasswordHash, p.PasswordChangedAt = hash, s.now()
	return nil
}

// ChangePassword changes the calling IAM user's own password after
// checking the old one; it clears PasswordResetRequired. With the
// policy's HardExpiry, an expired password cannot be changed this way.
func (s *Service) ChangePassword(ctx context.Context, account, userName, oldPassword, newPassword string) error {
	if err := checkPasswordValue(oldPassword, "oldPassword"); err != nil {
		return err
	}
	if err := checkPasswordValue(newPassword, "newPassword"); err != nil {
		return err
	}
	hash, err := s.hashPassword(newPassword)
	if err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		u, a, policy, err := passwordContext(tx, account, userName)
		if err != nil {
			return err
		}
		p, err := tx.LoginProfile(account, u.Name)
		if err != nil {
			return err
		}
		if ok, err := password.Check(p.PasswordHash, oldPassword); err != nil || !ok {
			return gatehouse.Errorf(gatehouse.CodeDenied, "The old password is incorrect.")
		}
		if policy != nil && policy.HardExpiry && policy.MaxPasswordAge > 0 &&
			s.now().Sub(p.PasswordChangedAt) > time.Duration(policy.MaxPasswordAge)*24*time.Hour {
			return gatehouse.Errorf(gatehouse.CodeDenied,
				"The password of user %s has expired and the password policy sets HardExpiry: an administrator must reset it.", u.Name)
		}
		if err := s.setPassword(p, policy, a, newPassword, hash); err != nil {
			return err
		}
		p.PasswordResetRequired = false
		return tx.UpdateLoginProfile(p)
	})
}
