// Package account is the AWS Account Management API (service "account",
// 2021-02-01) over the root Store contract: the account's name, contact
// information, alternate contacts, Region opt-in status and primary email.
//
// Gatehouse accounts are standalone (there are no organizations), so
// every operation acts on the caller's own account; the api package
// authorizes before calling in.
package account

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
)

// Service runs the Account Management operations.
type Service struct {
	Store *gatehouse.TxStore[Tx]
}

// Validation reasons.
const (
	ReasonFieldValidationFailed  = "fieldValidationFailed"
	ReasonInvalidRegionOptTarget = "invalidRegionOptTarget"
)

// field is one request member to validate, named as on the wire
// (lowerCamel path, e.g. "contactInformation.phoneNumber").
type field struct {
	name      string
	value     string
	required  bool
	min, max  int
	pattern   *regexp.Regexp
	patternOf string
}

// Patterns of the service model. The model's patterns are Java's: \s is
// [ \t\n\x0B\f\r] there (Go's \s lacks \x0B), \w is [a-zA-Z_0-9] in
// both. Members without a pattern in the model (the contact's names,
// address lines, city, title...) take any character, as on AWS.
var (
	accountNamePattern  = regexp.MustCompile(`^[ -;=?-~]+$`)
	contactPhonePattern = regexp.MustCompile(`^[+][` + javaSpace + `0-9()-]+$`)
	phonePattern        = regexp.MustCompile(`^[` + javaSpace + `0-9()+-]+$`)
	emailPattern        = regexp.MustCompile(`^[` + javaSpace + `]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[` + javaSpace + `]*$`)
)

// javaSpace is the character class of Java's \s, for a Go bracket
// expression.
const javaSpace = `\t\n\x0B\f\r `

// validate checks fields in order and returns a ValidationException
// listing every failure, worded as AWS's model validation words it. Values
// are never echoed: every member validated here is sensitive in the model.
func validate(fields ...field) error {
	var errs []gatehouse.FieldError
	for _, f := range fields {
		var msg string
		n := utf8.RuneCountInString(f.value)
		switch {
		case f.value == "" && f.required:
			msg = "Member must not be null"
		case f.value == "":
			continue
		case f.min > 0 && n < f.min:
			msg = fmt.Sprintf("Member must have length greater than or equal to %d", f.min)
		case f.max > 0 && n > f.max:
			msg = fmt.Sprintf("Member must have length less than or equal to %d", f.max)
		case f.pattern != nil && !f.pattern.MatchString(f.value):
			msg = "Member must satisfy regular expression pattern: " + f.patternOf
		default:
			continue
		}
		errs = append(errs, gatehouse.FieldError{Name: f.name, Message: msg})
	}
	if len(errs) == 0 {
		return nil
	}
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", e.Name, e.Message)
	}
	return &gatehouse.ValidationError{
		Err: gatehouse.Errorf(gatehouse.CodeInvalid, "%d validation error%s detected: %s", len(errs), plural(len(errs)),
			strings.Join(parts, "; ")),
		Reason: ReasonFieldValidationFailed,
		Fields: errs,
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// invalid returns a ValidationException for one member.
func invalid(reason, name, message string) error {
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "%s", message),
		Reason: reason,
		Fields: []gatehouse.FieldError{{Name: name, Message: message}},
	}
}

// AccountInformation returns the account.
func (s *Service) AccountInformation(ctx context.Context, accountID string) (*gatehouse.Account, error) {
	var a *gatehouse.Account
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		a, err = tx.Account(accountID)
		return err
	})
	return a, err
}

// Patterns of the primary email update members.
var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	otpPattern       = regexp.MustCompile(`^[a-zA-Z0-9]{6}$`)
)

// ValidateGetPrimaryEmail checks a GetPrimaryEmail request as the
// service model does: AccountId* (\d{12}).
func ValidateGetPrimaryEmail(accountID string) error {
	return validate(primaryEmailUpdateFields(accountID, "")[0])
}

// ValidateStartPrimaryEmailUpdate checks a StartPrimaryEmailUpdate
// request as the service model does: AccountId* (\d{12}) and
// PrimaryEmail* (5 to 64 characters).
func ValidateStartPrimaryEmailUpdate(accountID, primaryEmail string) error {
	return validate(primaryEmailUpdateFields(accountID, primaryEmail)...)
}

// ValidateAcceptPrimaryEmailUpdate checks an AcceptPrimaryEmailUpdate
// request as the service model does: AccountId* (\d{12}), PrimaryEmail*
// (5 to 64 characters) and Otp* ([a-zA-Z0-9]{6}).
func ValidateAcceptPrimaryEmailUpdate(accountID, primaryEmail, otp string) error {
	return validate(append(primaryEmailUpdateFields(accountID, primaryEmail),
		field{name: "otp", value: otp, required: true, pattern: otpPattern, patternOf: "[a-zA-Z0-9]{6}"})...)
}

func primaryEmailUpdateFields(accountID, primaryEmail string) []field {
	return []field{
		{name: "accountId", value: accountID, required: true, pattern: accountIDPattern, patternOf: `\d{12}`},
		{name: "primaryEmail", value: primaryEmail, required: true, min: 5, max: 64},
	}
}

// PutAccountName renames the account (1 to 50 characters of the model's
// pattern).
func (s *Service) PutAccountName(ctx context.Context, accountID, name string) error {
	if err := validate(field{name: "accountName", value: name, required: true, min: 1, max: 50,
		pattern: accountNamePattern, patternOf: "[ -;=?-~]+"}); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		a.Name = name
		return tx.UpdateAccount(a)
	})
}

// update runs fn on the account's settings and stores them.
func (s *Service) update(ctx context.Context, accountID string, fn func(st *gatehouse.AccountSettings) error) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		st, err := tx.AccountSettings(accountID)
		if err != nil {
			return err
		}
		if err := fn(st); err != nil {
			return err
		}
		return tx.PutAccountSettings(accountID, st)
	})
}

// settings reads the account's settings.
func (s *Service) settings(ctx context.Context, accountID string) (*gatehouse.AccountSettings, error) {
	var st *gatehouse.AccountSettings
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		st, err = tx.AccountSettings(accountID)
		return err
	})
	return st, err
}

// ContactInformation returns the account's contact information;
// ResourceNotFoundException when none was put.
func (s *Service) ContactInformation(ctx context.Context, accountID string) (*gatehouse.ContactInformation, error) {
	st, err := s.settings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if st.Contact == nil {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "No contact information found for this account.")
	}
	return st.Contact, nil
}

// PutContactInformation replaces the account's contact information.
func (s *Service) PutContactInformation(ctx context.Context, accountID string, c *gatehouse.ContactInformation) error {
	if c == nil {
		return validate(field{name: "contactInformation", required: true})
	}
	p := "contactInformation."
	if err := validate(
		field{name: p + "fullName", value: c.FullName, required: true, min: 1, max: 50},
		field{name: p + "addressLine1", value: c.AddressLine1, required: true, min: 1, max: 60},
		field{name: p + "addressLine2", value: c.AddressLine2, min: 1, max: 60},
		field{name: p + "addressLine3", value: c.AddressLine3, min: 1, max: 60},
		field{name: p + "city", value: c.City, required: true, min: 1, max: 50},
		field{name: p + "stateOrRegion", value: c.StateOrRegion, min: 1, max: 50},
		field{name: p + "districtOrCounty", value: c.DistrictOrCounty, min: 1, max: 50},
		field{name: p + "postalCode", value: c.PostalCode, required: true, min: 1, max: 20},
		field{name: p + "countryCode", value: c.CountryCode, required: true, min: 2, max: 2},
		field{name: p + "phoneNumber", value: c.PhoneNumber, required: true, min: 1, max: 20,
			pattern: contactPhonePattern, patternOf: `[+][\s0-9()-]+`},
		field{name: p + "companyName", value: c.CompanyName, min: 1, max: 50},
		field{name: p + "websiteUrl", value: c.WebsiteURL, min: 1, max: 256},
	); err != nil {
		return err
	}
	stored := *c
	return s.update(ctx, accountID, func(st *gatehouse.AccountSettings) error {
		st.Contact = &stored
		return nil
	})
}

// checkContactType validates an alternate contact type.
func checkContactType(t gatehouse.AlternateContactType) error {
	switch t {
	case gatehouse.ContactBilling, gatehouse.ContactOperations, gatehouse.ContactSecurity:
		return nil
	case "":
		return validate(field{name: "alternateContactType", required: true})
	}
	return invalid(ReasonFieldValidationFailed, "alternateContactType",
		"1 validation error detected: Value at 'alternateContactType' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [BILLING, OPERATIONS, SECURITY]")
}

func noAlternateContact() error {
	return gatehouse.Errorf(gatehouse.CodeNotFound, "No contact of the inputted alternate contact type found.")
}

// AlternateContact returns the account's alternate contact of type t.
func (s *Service) AlternateContact(ctx context.Context, accountID string, t gatehouse.AlternateContactType) (*gatehouse.AlternateContact, error) {
	if err := checkContactType(t); err != nil {
		return nil, err
	}
	st, err := s.settings(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for _, c := range st.AlternateContacts {
		if c.Type == t {
			return &c, nil
		}
	}
	return nil, noAlternateContact()
}

// PutAlternateContact creates or replaces the alternate contact of c.Type.
func (s *Service) PutAlternateContact(ctx context.Context, accountID string, c *gatehouse.AlternateContact) error {
	if err := validate(
		field{name: "name", value: c.Name, required: true, min: 1, max: 64},
		field{name: "title", value: c.Title, required: true, min: 1, max: 50},
		field{name: "emailAddress", value: c.EmailAddress, required: true, min: 1, max: 254,
			pattern: emailPattern, patternOf: `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`},
		field{name: "phoneNumber", value: c.PhoneNumber, required: true, min: 1, max: 25,
			pattern: phonePattern, patternOf: `[\s0-9()+-]+`},
	); err != nil {
		return err
	}
	if err := checkContactType(c.Type); err != nil {
		return err
	}
	stored := *c
	return s.update(ctx, accountID, func(st *gatehouse.AccountSettings) error {
		st.AlternateContacts = slices.DeleteFunc(st.AlternateContacts, func(a gatehouse.AlternateContact) bool { return a.Type == c.Type })
		st.AlternateContacts = append(st.AlternateContacts, stored)
		slices.SortFunc(st.AlternateContacts, func(a, b gatehouse.AlternateContact) int { return strings.Compare(string(a.Type), string(b.Type)) })
		return nil
	})
}

// DeleteAlternateContact deletes the alternate contact of type t.
func (s *Service) DeleteAlternateContact(ctx context.Context, accountID string, t gatehouse.AlternateContactType) error {
	if err := checkContactType(t); err != nil {
		return err
	}
	return s.update(ctx, accountID, func(st *gatehouse.AccountSettings) error {
		n := len(st.AlternateContacts)
		st.AlternateContacts = slices.DeleteFunc(st.AlternateContacts, func(a gatehouse.AlternateContact) bool { return a.Type == t })
		if len(st.AlternateContacts) == n {
			return noAlternateContact()
		}
		return nil
	})
}
