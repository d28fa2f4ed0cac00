package tax_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/tax"
)

func valid() *gatehouse.TaxRegistration {
	return &gatehouse.TaxRegistration{AccountID: "123456789012", RegistrationID: "DE123456789", RegistrationType: "VAT",
		LegalName: "Example GmbH", LegalAddress: &gatehouse.TaxAddress{Line1: "Str. 1", City: "Berlin", PostalCode: "10115", CountryCode: "DE"}}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *gatehouse.TaxRegistration)
		reason string // "" when valid
		field  string
	}{
		{"valid", func(*gatehouse.TaxRegistration) {}, "", ""},
		{"all optional members", func(r *gatehouse.TaxRegistration) {
			r.Sector, r.CertifiedEmail, r.AdditionalInfo = "Government", "tax@example.com", []byte(`{"x":{}}`)
		}, "", ""},
		{"no registration ID", func(r *gatehouse.TaxRegistration) { r.RegistrationID = " " }, tax.ReasonMissingInput, "registrationId"},
		{"long registration ID", func(r *gatehouse.TaxRegistration) { r.RegistrationID = string(make([]byte, 201)) }, tax.ReasonMissingInput, "registrationId"},
		{"lower-case type", func(r *gatehouse.TaxRegistration) { r.RegistrationType = "vat" }, tax.ReasonInvalidField, "registrationType"},
		{"unknown type", func(r *gatehouse.TaxRegistration) { r.RegistrationType = "EIN" }, tax.ReasonInvalidField, "registrationType"},
		{"no legal name", func(r *gatehouse.TaxRegistration) { r.LegalName = "" }, tax.ReasonMissingInput, "legalName"},
		{"no address", func(r *gatehouse.TaxRegistration) { r.LegalAddress = nil }, tax.ReasonMissingInput, "legalAddress"},
		{"no city", func(r *gatehouse.TaxRegistration) { r.LegalAddress.City = "" }, tax.ReasonMissingInput, "legalAddress"},
		{"bad country", func(r *gatehouse.TaxRegistration) { r.LegalAddress.CountryCode = "DEU" }, tax.ReasonInvalidField, "legalAddress.countryCode"},
		{"bad sector", func(r *gatehouse.TaxRegistration) { r.Sector = "business" }, tax.ReasonInvalidField, "sector"},
		{"bad email", func(r *gatehouse.TaxRegistration) { r.CertifiedEmail = "tax@" }, tax.ReasonInvalidField, "certifiedEmailId"},
		{"details not an object", func(r *gatehouse.TaxRegistration) { r.AdditionalInfo = []byte(`[1]`) }, tax.ReasonInvalidField, "additionalTaxInformation"},
		// The first broken rule is reported, in the model's member order.
		{"two broken", func(r *gatehouse.TaxRegistration) { r.LegalName, r.Sector = "", "x" }, tax.ReasonMissingInput, "legalName"},
	}
	for _, tt := range tests {
		r := valid()
		tt.change(r)
		err := tax.Validate(r)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		ve, ok := err.(*gatehouse.ValidationError)
		if !ok || ve.Reason != tt.reason || len(ve.Fields) != 1 || ve.Fields[0].Name != tt.field || gatehouse.ErrorCode(err) != gatehouse.CodeInvalid {
			t.Errorf("%s: %#v, want %s on %s", tt.name, err, tt.reason, tt.field)
		}
	}
}
