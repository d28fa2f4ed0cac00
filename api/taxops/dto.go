package taxops

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// The wire shapes of the Tax Settings model (taxsettings 2018-05-10),
// with the model's member names.
type (
	jurisdiction struct {
		CountryCode   string `json:"countryCode"`
		StateOrRegion string `json:"stateOrRegion,omitempty"`
	}
	address struct {
		AddressLine1     string `json:"addressLine1"`
		AddressLine2     string `json:"addressLine2,omitempty"`
		AddressLine3     string `json:"addressLine3,omitempty"`
		City             string `json:"city"`
		CountryCode      string `json:"countryCode"`
		DistrictOrCounty string `json:"districtOrCounty,omitempty"`
		PostalCode       string `json:"postalCode"`
		StateOrRegion    string `json:"stateOrRegion,omitempty"`
	}
	// registrationEntry is the model's TaxRegistrationEntry.
	registrationEntry struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		LegalAddress             *address        `json:"legalAddress,omitempty"`
		LegalName                string          `json:"legalName,omitempty"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		VerificationDetails      json.RawMessage `json:"verificationDetails,omitempty"`
	}
	putRegistrationIn struct {
		AccountId            string             `json:"accountId"`
		TaxRegistrationEntry *registrationEntry `json:"taxRegistrationEntry"`
	}
	putRegistrationOut struct {
		Status string `json:"status"`
	}
	getRegistrationIn struct {
		AccountId string `json:"accountId"`
	}
	getRegistrationOut struct {
		TaxRegistration *registration `json:"taxRegistration"`
	}
	listRegistrationsIn struct {
		MaxResults *int   `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	listRegistrationsOut struct {
		AccountDetails []accountDetails `json:"accountDetails"`
	}
	// registration is the model's TaxRegistration.
	registration struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		LegalAddress             *address        `json:"legalAddress"`
		LegalName                string          `json:"legalName"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		Status                   string          `json:"status"`
	}
	// registrationWithJurisdiction is the model's shape of the same name.
	registrationWithJurisdiction struct {
		AdditionalTaxInformation json.RawMessage `json:"additionalTaxInformation,omitempty"`
		CertifiedEmailId         string          `json:"certifiedEmailId,omitempty"`
		Jurisdiction             jurisdiction    `json:"jurisdiction"`
		LegalName                string          `json:"legalName"`
		RegistrationId           string          `json:"registrationId"`
		RegistrationType         string          `json:"registrationType"`
		Sector                   string          `json:"sector,omitempty"`
		Status                   string          `json:"status"`
	}
	accountDetails struct {
		AccountId       string                        `json:"accountId"`
		TaxRegistration *registrationWithJurisdiction `json:"taxRegistration,omitempty"`
	}
)

// domain returns the registration an entry asks for.
func (e *registrationEntry) domain(accountID string) *gatehouse.TaxRegistration {
	r := &gatehouse.TaxRegistration{
		AccountID: accountID, RegistrationID: e.RegistrationId, RegistrationType: e.RegistrationType,
		LegalName: e.LegalName, Sector: e.Sector, CertifiedEmail: e.CertifiedEmailId,
		AdditionalInfo: []byte(e.AdditionalTaxInformation),
	}
	if a := e.LegalAddress; a != nil {
		r.LegalAddress = &gatehouse.TaxAddress{Line1: a.AddressLine1, Line2: a.AddressLine2, Line3: a.AddressLine3,
			City: a.City, DistrictOrCounty: a.DistrictOrCounty, StateOrRegion: a.StateOrRegion,
			PostalCode: a.PostalCode, CountryCode: a.CountryCode}
	}
	return r
}

func toAddress(a *gatehouse.TaxAddress) *address {
	if a == nil {
		return nil
	}
	return &address{AddressLine1: a.Line1, AddressLine2: a.Line2, AddressLine3: a.Line3, City: a.City,
		CountryCode: a.CountryCode, DistrictOrCounty: a.DistrictOrCounty, PostalCode: a.PostalCode, StateOrRegion: a.StateOrRegion}
}

func toRegistration(r *gatehouse.TaxRegistration) *registration {
	return &registration{
		AdditionalTaxInformation: json.RawMessage(r.AdditionalInfo), CertifiedEmailId: r.CertifiedEmail,
		LegalAddress: toAddress(r.LegalAddress), LegalName: r.LegalName, RegistrationId: r.RegistrationID,
		RegistrationType: r.RegistrationType, Sector: r.Sector, Status: r.Status,
	}
}

func toRegistrationWithJurisdiction(r *gatehouse.TaxRegistration) *registrationWithJurisdiction {
	var j jurisdiction
	if a := r.LegalAddress; a != nil {
		j = jurisdiction{CountryCode: strings.ToUpper(a.CountryCode), StateOrRegion: a.StateOrRegion}
	}
	return &registrationWithJurisdiction{
		AdditionalTaxInformation: json.RawMessage(r.AdditionalInfo), CertifiedEmailId: r.CertifiedEmail,
		Jurisdiction: j, LegalName: r.LegalName, RegistrationId: r.RegistrationID,
		RegistrationType: r.RegistrationType, Sector: r.Sector, Status: r.Status,
	}
}
