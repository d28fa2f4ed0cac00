// Package tax is the business of AWS Tax Settings: an account's tax
// registration, the rules a registration must meet, and its status.
package tax

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// StatusVerified is the status of a registration: Gatehouse verifies
// nothing, so a registration takes effect at once.
const StatusVerified = "Verified"

// Tx is what the service reads and writes in the store.
type Tx interface {
	// PutTaxRegistration creates or replaces the account's registration.
	PutTaxRegistration(r *gatehouse.TaxRegistration) error
	// TaxRegistration returns CodeNotFound when the account has none.
	TaxRegistration(accountID string) (*gatehouse.TaxRegistration, error)
}

// Store runs transactions over Tx (gatehouse.Narrow[tax.Tx] of the
// server's store).
type Store interface {
	View(ctx context.Context, fn func(tx Tx) error) error
	Update(ctx context.Context, fn func(tx Tx) error) error
}

// Service keeps tax registrations.
type Service struct {
	Store Store
}

// Put validates r and stores it as the account's registration, replacing
// any earlier one, with status StatusVerified.
func (s *Service) Put(ctx context.Context, r *gatehouse.TaxRegistration) error {
	if err := Validate(r); err != nil {
		return err
	}
	r.Status = StatusVerified
	return s.Store.Update(ctx, func(tx Tx) error { return tx.PutTaxRegistration(r) })
}

// Registration returns the account's registration, or nil when it has
// none.
func (s *Service) Registration(ctx context.Context, accountID string) (*gatehouse.TaxRegistration, error) {
	var r *gatehouse.TaxRegistration
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		r, err = tx.TaxRegistration(accountID)
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, nil
	}
	return r, err
}

// The values the Tax Settings model (2018-05-10) allows.
var (
	registrationTypes = []string{"VAT", "GST", "CPF", "CNPJ", "SST", "TIN", "NRIC"}
	sectors           = []string{"Business", "Individual", "Government"}
	countryCode       = regexp.MustCompile(`^[a-zA-Z]{2}$`)
	email             = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,20}$`)
)

// Reasons of the ValidationExceptions Validate returns: Tax Settings
// answers them as the error code (errorCode) of the response.
const (
	ReasonMissingInput = "MissingInput"
	ReasonInvalidField = "FieldValidationFailed"
)

// Invalid is a Tax Settings ValidationException naming one field, with
// reason ReasonMissingInput or ReasonInvalidField (or "InvalidToken" for
// a bad page token).
func Invalid(reason, field, format string, args ...any) error {
	return &gatehouse.ValidationError{Err: gatehouse.Errorf(gatehouse.CodeInvalid, format, args...), Reason: reason,
		Fields: []gatehouse.FieldError{{Name: field}}}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Validate checks a registration against the rules of the Tax Settings
// model, in the order of its members, and returns the first it breaks.
func Validate(r *gatehouse.TaxRegistration) error {
	a := r.LegalAddress
	switch {
	case blank(r.RegistrationID) || len(r.RegistrationID) > 200:
		return Invalid(ReasonMissingInput, "registrationId", "registrationId is required (1 to 200 characters).")
	case !slices.Contains(registrationTypes, r.RegistrationType):
		return Invalid(ReasonInvalidField, "registrationType", "registrationType must be one of %s.", strings.Join(registrationTypes, ", "))
	case blank(r.LegalName) || len(r.LegalName) > 200:
		return Invalid(ReasonMissingInput, "legalName", "legalName is required (1 to 200 characters).")
	case a == nil:
		return Invalid(ReasonMissingInput, "legalAddress", "legalAddress is required.")
	case blank(a.Line1) || blank(a.City) || blank(a.PostalCode):
		return Invalid(ReasonMissingInput, "legalAddress", "legalAddress needs addressLine1, city, postalCode and countryCode.")
	case !countryCode.MatchString(a.CountryCode):
		return Invalid(ReasonInvalidField, "legalAddress.countryCode", "countryCode must be a two-letter ISO 3166 code.")
	case r.Sector != "" && !slices.Contains(sectors, r.Sector):
		return Invalid(ReasonInvalidField, "sector", "sector must be one of %s.", strings.Join(sectors, ", "))
	case r.CertifiedEmail != "" && !email.MatchString(r.CertifiedEmail):
		return Invalid(ReasonInvalidField, "certifiedEmailId", "certifiedEmailId is not a valid email address.")
	}
	if len(r.AdditionalInfo) > 0 {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.AdditionalInfo, &m); err != nil {
			return Invalid(ReasonInvalidField, "additionalTaxInformation", "additionalTaxInformation must be an object.")
		}
	}
	return nil
}
