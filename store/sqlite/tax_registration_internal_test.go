package sqlite

import (
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// TestTaxRegistrationDocumentsOfBefore: documents written before
// registrations had fields of their own (the Tax Settings wire body,
// with an empty status member) read into the fields.
func TestTaxRegistrationDocumentsOfBefore(t *testing.T) {
	doc := `{"additionalTaxInformation":{"x":"y"},"certifiedEmailId":"a@example.com","legalAddress":{"addressLine1":"1 Main St","city":"Seattle","countryCode":"US","postalCode":"98101","stateOrRegion":"WA"},"legalName":"Example Inc.","registrationId":"12-3456789","registrationType":"TIN","sector":"Business","status":""}`
	var r gatehouse.TaxRegistration
	if err := decodeTaxRegistration(doc, &r); err != nil {
		t.Fatal(err)
	}
	want := gatehouse.TaxRegistration{RegistrationID: "12-3456789", RegistrationType: "TIN", LegalName: "Example Inc.",
		LegalAddress: &gatehouse.TaxAddress{Line1: "1 Main St", City: "Seattle", StateOrRegion: "WA", PostalCode: "98101", CountryCode: "US"},
		Sector:       "Business", CertifiedEmail: "a@example.com", AdditionalInfo: []byte(`{"x":"y"}`)}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("decoded %+v\nwant    %+v", r, want)
	}
}
