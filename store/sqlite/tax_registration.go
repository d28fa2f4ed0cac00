package sqlite

import (
	"encoding/json"

	"github.com/gatehouse-dev/gatehouse"
)

// taxRegistrationDoc is how a tax registration is kept in
// tax_registrations.document: a JSON object with the member names of the
// Tax Settings API's TaxRegistration, which is what the column has held
// since migration 0008, so rows written before keep reading.
type taxRegistrationDoc struct {
	AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
	CertifiedEmailID         string          `json:"certifiedEmailId,omitempty"`
	LegalAddress             *taxAddressDoc  `json:"legalAddress,omitempty"`
	LegalName                string          `json:"legalName,omitempty"`
	RegistrationID           string          `json:"registrationId,omitempty"`
	RegistrationType         string          `json:"registrationType,omitempty"`
	Sector                   string          `json:"sector,omitempty"`
}

type taxAddressDoc struct {
	AddressLine1     string `json:"addressLine1"`
	AddressLine2     string `json:"addressLine2,omitempty"`
	AddressLine3     string `json:"addressLine3,omitempty"`
	City             string `json:"city"`
	CountryCode      string `json:"countryCode"`
	DistrictOrCounty string `json:"districtOrCounty,omitempty"`
	PostalCode       string `json:"postalCode"`
	StateOrRegion    string `json:"stateOrRegion,omitempty"`
}

func encodeTaxRegistration(r *gatehouse.TaxRegistration) (string, error) {
	d := taxRegistrationDoc{
		AdditionalTaxInformation: r.AdditionalInfo, CertifiedEmailID: r.CertifiedEmail, LegalName: r.LegalName,
		RegistrationID: r.RegistrationID, RegistrationType: r.RegistrationType, Sector: r.Sector,
	}
	if a := r.LegalAddress; a != nil {
		d.LegalAddress = &taxAddressDoc{AddressLine1: a.Line1, AddressLine2: a.Line2, AddressLine3: a.Line3, City: a.City,
			CountryCode: a.CountryCode, DistrictOrCounty: a.DistrictOrCounty, PostalCode: a.PostalCode, StateOrRegion: a.StateOrRegion}
	}
	b, err := json.Marshal(d)
	return string(b), err
}

func decodeTaxRegistration(doc string, r *gatehouse.TaxRegistration) error {
	var d taxRegistrationDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return err
	}
	r.AdditionalInfo, r.CertifiedEmail, r.LegalName = []byte(d.AdditionalTaxInformation), d.CertifiedEmailID, d.LegalName
	r.RegistrationID, r.RegistrationType, r.Sector = d.RegistrationID, d.RegistrationType, d.Sector
	if a := d.LegalAddress; a != nil {
		r.LegalAddress = &gatehouse.TaxAddress{Line1: a.AddressLine1, Line2: a.AddressLine2, Line3: a.AddressLine3, City: a.City,
			CountryCode: a.CountryCode, DistrictOrCounty: a.DistrictOrCounty, PostalCode: a.PostalCode, StateOrRegion: a.StateOrRegion}
	}
	return nil
}
