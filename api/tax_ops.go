package api

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// The Tax Settings API (taxsettings/2018-05-10, signing name "tax"),
// REST-JSON with paths /<OperationName> and errors carrying errorCode:
// ListTaxRegistrations, PutTaxRegistration and GetTaxRegistration of the
// caller's account. Registrations are stored as the model's
// TaxRegistration (without status) and take effect at once (Verified).

const (
	taxVerified = "Verified"
)

type (
	taxJurisdiction struct {
		CountryCode   string `json:"countryCode"`
		StateOrRegion string `json:"stateOrRegion,omitempty"`
	}
	taxAddress struct {
		AddressLine1     string `json:"addressLine1"`
		AddressLine2     string `json:"addressLine2,omitempty"`
		AddressLine3     string `json:"addressLine3,omitempty"`
		City             string `json:"city"`
		CountryCode      string `json:"countryCode"`
		DistrictOrCounty string `json:"districtOrCounty,omitempty"`
		PostalCode       string `json:"postalCode"`
		StateOrRegion    string `json:"stateOrRegion,omitempty"`
	}
	// taxRegistrationEntry is the model's TaxRegistrationEntry.
	taxRegistrationEntry struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		LegalAddress             *taxAddress     `json:"legalAddress,omitempty"`
		LegalName                string          `json:"legalName,omitempty"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		VerificationDetails      json.RawMessage `json:"verificationDetails,omitempty"`
	}
	putTaxRegistrationIn struct {
		AccountId            string                `json:"accountId"`
		TaxRegistrationEntry *taxRegistrationEntry `json:"taxRegistrationEntry"`
	}
	getTaxRegistrationIn struct {
		AccountId string `json:"accountId"`
	}
	listTaxRegistrationsIn struct {
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	// taxRegistrationOut is the model's TaxRegistration.
	taxRegistrationOut struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		LegalAddress             *taxAddress     `json:"legalAddress"`
		LegalName                string          `json:"legalName"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		Status                   string          `json:"status"`
	}
	// taxRegistrationWithJurisdiction is the model's shape of the same name.
	taxRegistrationWithJurisdiction struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		Jurisdiction             taxJurisdiction `json:"jurisdiction"`
		LegalName                string          `json:"legalName"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		Status                   string          `json:"status"`
	}
	taxAccountDetails struct {
		AccountId       string                           `json:"accountId"`
		TaxRegistration *taxRegistrationWithJurisdiction `json:"taxRegistration,omitempty"`
	}
)

var (
	taxRegistrationTypes = []string{"VAT", "GST", "CPF", "CNPJ", "SST", "TIN", "NRIC"}
	taxSectors           = []string{"Business", "Individual", "Government"}
	taxCountryCode       = regexp.MustCompile(`^[a-zA-Z]{2}$`)
	taxEmail             = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,20}$`)
)

// taxInvalid is a Tax Settings ValidationException (errorCode
// FieldValidationFailed or MissingInput) naming one field.
func taxInvalid(reason, field, format string, args ...any) error {
	return &gatehouse.ValidationError{Err: gatehouse.Errorf("ValidationException", format, args...), Reason: reason,
		Fields: []gatehouse.FieldError{{Name: field}}}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func validTaxEntry(e *taxRegistrationEntry) error {
	const missing, invalid = "MissingInput", "FieldValidationFailed"
	switch {
	case e == nil:
		return taxInvalid(missing, "taxRegistrationEntry", "taxRegistrationEntry is required.")
	case blank(e.RegistrationId) || len(e.RegistrationId) > 200:
		return taxInvalid(missing, "registrationId", "registrationId is required (1 to 200 characters).")
	case !containsString(taxRegistrationTypes, e.RegistrationType) || e.RegistrationType != strings.ToUpper(e.RegistrationType):
		return taxInvalid(invalid, "registrationType", "registrationType must be one of %s.", strings.Join(taxRegistrationTypes, ", "))
	case blank(e.LegalName) || len(e.LegalName) > 200:
		return taxInvalid(missing, "legalName", "legalName is required (1 to 200 characters).")
	case e.LegalAddress == nil:
		return taxInvalid(missing, "legalAddress", "legalAddress is required.")
	case blank(e.LegalAddress.AddressLine1) || blank(e.LegalAddress.City) || blank(e.LegalAddress.PostalCode):
		return taxInvalid(missing, "legalAddress", "legalAddress needs addressLine1, city, postalCode and countryCode.")
	case !taxCountryCode.MatchString(e.LegalAddress.CountryCode):
		return taxInvalid(invalid, "legalAddress.countryCode", "countryCode must be a two-letter ISO 3166 code.")
	case e.Sector != "" && !containsString(taxSectors, e.Sector):
		return taxInvalid(invalid, "sector", "sector must be one of %s.", strings.Join(taxSectors, ", "))
	case e.CertifiedEmailId != "" && !taxEmail.MatchString(e.CertifiedEmailId):
		return taxInvalid(invalid, "certifiedEmailId", "certifiedEmailId is not a valid email address.")
	}
	if len(e.AdditionalTaxInformation) > 0 {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(e.AdditionalTaxInformation, &m); err != nil {
			return taxInvalid(invalid, "additionalTaxInformation", "additionalTaxInformation must be an object.")
		}
	}
	return nil
}

// taxOp builds a row of the Tax Settings table. Tax settings are billing
// console data: every row is authz.BillingGated (the IAM billing access switch,
// then the account's billing permission model).
func taxOp[In any](name, action string, accountID func(*In) string, spec opSpec[In]) operation {
	spec.action = "tax:" + action
	spec.billing = authz.BillingGated
	spec.resource = func(*call, *In) string { return "*" }
	spec.precheck = func(c *call, in *In) error { return checkAccountID(c, spec.action, accountID(in), true) }
	return legacyOp(name, spec)
}

func (c *call) taxRegistration() (*taxRegistrationOut, error) {
	var r *gatehouse.TaxRegistration
	err := c.srv.Store.View(c.ctx, func(tx gatehouse.Tx) error {
		var err error
		r, err = tx.TaxRegistration(c.account())
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.ENoSuchEntity {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out taxRegistrationOut
	if err := json.Unmarshal(r.Document, &out); err != nil {
		return nil, err
	}
	out.Status = r.Status
	return &out, nil
}

// taxOperations is the Tax Settings operation table.
func taxOperations() []operation {
	return []operation{
		taxOp("PutTaxRegistration", "PutTaxRegistration", func(in *putTaxRegistrationIn) string { return in.AccountId },
			opSpec[putTaxRegistrationIn]{
				handle: func(c *call, in *putTaxRegistrationIn) (any, error) {
					e := in.TaxRegistrationEntry
					if err := validTaxEntry(e); err != nil {
						return nil, err
					}
					doc, err := json.Marshal(taxRegistrationOut{AdditionalTaxInformation: e.AdditionalTaxInformation,
						CertifiedEmailId: e.CertifiedEmailId, LegalAddress: e.LegalAddress, LegalName: e.LegalName,
						RegistrationId: e.RegistrationId, RegistrationType: e.RegistrationType, Sector: e.Sector})
					if err != nil {
						return nil, err
					}
					err = c.srv.Store.Update(c.ctx, func(tx gatehouse.Tx) error {
						return tx.PutTaxRegistration(&gatehouse.TaxRegistration{AccountID: c.account(), Document: doc, Status: taxVerified})
					})
					if err != nil {
						return nil, err
					}
					return struct {
						Status string `json:"status"`
					}{taxVerified}, nil
				},
			}),
		taxOp("GetTaxRegistration", "GetTaxRegistration", func(in *getTaxRegistrationIn) string { return in.AccountId },
			opSpec[getTaxRegistrationIn]{
				handle: func(c *call, _ *getTaxRegistrationIn) (any, error) {
					r, err := c.taxRegistration()
					if err != nil {
						return nil, err
					}
					if r == nil {
						return nil, gatehouse.Errorf("ResourceNotFoundException", "The account %s has no tax registration.", c.account())
					}
					return struct {
						TaxRegistration *taxRegistrationOut `json:"taxRegistration"`
					}{r}, nil
				},
			}),
		taxOp("ListTaxRegistrations", "ListTaxRegistrations", func(*listTaxRegistrationsIn) string { return "" },
			opSpec[listTaxRegistrationsIn]{
				handle: func(c *call, in *listTaxRegistrationsIn) (any, error) {
					if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 1000) {
						return nil, taxInvalid("FieldValidationFailed", "maxResults", "maxResults must be between 1 and 1000.")
					}
					if in.NextToken != "" { // one account: there is never a next page
						return nil, taxInvalid("InvalidToken", "nextToken", "The nextToken is not valid.")
					}
					r, err := c.taxRegistration()
					if err != nil {
						return nil, err
					}
					details := []taxAccountDetails{}
					if r != nil {
						details = append(details, taxAccountDetails{AccountId: c.account(), TaxRegistration: &taxRegistrationWithJurisdiction{
							AdditionalTaxInformation: r.AdditionalTaxInformation, CertifiedEmailId: r.CertifiedEmailId,
							Jurisdiction: taxJurisdiction{strings.ToUpper(r.LegalAddress.CountryCode), r.LegalAddress.StateOrRegion},
							LegalName:    r.LegalName, RegistrationId: r.RegistrationId, RegistrationType: r.RegistrationType,
							Sector: r.Sector, Status: r.Status}})
					}
					return struct {
						AccountDetails []taxAccountDetails `json:"accountDetails"`
					}{details}, nil
				},
			}),
	}
}
