package api_test

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// The Tax Settings API, the seller registration and GovCloud rows of the
// gatehouse service, and the Account API's GetGovCloudAccountInformation,
// for TestGolden (before accountMgmtGoldens, which checks that every JSON
// golden is used). Tax Settings and Account bodies are parsed by botocore;
// the gatehouse service has no botocore model.

// sendTax POSTs a Tax Settings request (path /<Operation>) signed by k.
func (h *harness) sendTax(t testing.TB, op string, k key, body string) response {
	t.Helper()
	h.tick()
	r, err := httpRequest(h.url+"/"+op, body)
	if err != nil {
		t.Fatal(err)
	}
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: "us-east-1", Service: "tax", Now: h.clock}
	if err := s.Sign(r, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

const taxEntryJSON = `{"taxRegistrationEntry":{"registrationId":"DE123456789","registrationType":"VAT","legalName":"Example & Co GmbH",` +
	`"legalAddress":{"addressLine1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","countryCode":"DE"},"sector":"Business"}}`

func sellerTaxGovCloudGoldens(t *testing.T, g *goldens) {
	t.Helper()
	h := g.h
	tax := &accountGoldens{g: g}
	taxCheck := func(name, op string, status int, k key, body string) {
		t.Helper()
		tax.check(t, name, op, status, h.sendTax(t, op, k, body))
		tax.jobs[len(tax.jobs)-1].Service = "taxsettings"
	}
	taxCheck("error_tax_ResourceNotFoundException", "GetTaxRegistration", 404, rootKey, `{}`)
	taxCheck("ListTaxRegistrations_empty", "ListTaxRegistrations", 200, rootKey, `{}`)
	taxCheck("PutTaxRegistration", "PutTaxRegistration", 200, rootKey, taxEntryJSON)
	taxCheck("error_tax_ValidationException", "PutTaxRegistration", 400, rootKey,
		`{"taxRegistrationEntry":{"registrationId":"X1","registrationType":"VAT","legalName":"X","legalAddress":{"addressLine1":"a","city":"b","postalCode":"1","countryCode":"DEU"}}}`)
	taxCheck("GetTaxRegistration", "GetTaxRegistration", 200, rootKey, `{}`)
	taxCheck("ListTaxRegistrations", "ListTaxRegistrations", 200, rootKey, `{"maxResults":10}`)

	gh := &accountGoldens{g: g} // gatehouse service: compared, not parsed
	ghRoot := func(name, op, body string) response {
		t.Helper()
		k := rootKey
		switch op {
		case "RegisterMarketplaceSeller", "SignUpGovCloud", "RequestGovCloudRootAccessKeys":
			k = h.console(t) // console-only tasks
		}
		return gh.check(t, name, op, 200, h.sendGH(t, op, k, body))
	}
	acct := &accountGoldens{g: g}
	acct.fail(t, "ResourceNotFoundException_govcloud", "GetGovCloudAccountInformation", 404, rootKey, `{}`)
	ghRoot("GetMarketplaceSellerProfile_not_registered", "GetMarketplaceSellerProfile", `{}`)
	ghRoot("RegisterMarketplaceSeller", "RegisterMarketplaceSeller",
		`{"LegalName":"Example & Co","BankAccountNumber":"000123456789","RoutingNumber":"021000021","TaxId":"12-3456789"}`)
	ghRoot("GetMarketplaceSellerProfile", "GetMarketplaceSellerProfile", ``)
	ghRoot("SignUpGovCloud", "SignUpGovCloud", `{}`)
	gh.check(t, "error_gatehouse_ConflictException_govcloud", "SignUpGovCloud", 409, h.sendGH(t, "SignUpGovCloud", h.console(t), `{}`))
	acct.root(t, "GetGovCloudAccountInformation", "", `{}`)
	r := ghRoot("RequestGovCloudRootAccessKeys", "RequestGovCloudRootAccessKeys", `{}`)
	var sc struct{ CaseId string }
	json.Unmarshal(r.body, &sc)
	ghRoot("GetSupportCase", "GetSupportCase", `{"CaseId":"`+sc.CaseId+`"}`)
	gh.check(t, "error_gatehouse_ResourceNotFoundException_case", "GetSupportCase", 404,
		h.sendGH(t, "GetSupportCase", rootKey, `{"CaseId":"case-000000000000-0000000000"}`))

	ghRoot("GetPaymentPreferences", "GetPaymentPreferences", `{}`)
	ghRoot("PutPaymentPreferences", "PutPaymentPreferences", `{"PreferredCurrency":"EUR","InvoiceDeliveryByEmail":false}`)
	gh.check(t, "error_gatehouse_ValidationException_currency", "PutPaymentPreferences", 400,
		h.sendGH(t, "PutPaymentPreferences", rootKey, `{"PreferredCurrency":"XYZ"}`))

	if !t.Failed() {
		checkBotocoreJSON(t, append(tax.jobs, acct.jobs...))
	}
}

func init() {
	for k, v := range map[string][]expectation{
		"ListTaxRegistrations_empty": {length("accountDetails", 0)},
		"PutTaxRegistration":         {eq("status", "Verified")},
		"GetTaxRegistration": {eq("taxRegistration.registrationId", "DE123456789"), eq("taxRegistration.legalName", "Example & Co GmbH"),
			eq("taxRegistration.legalAddress.countryCode", "DE"), eq("taxRegistration.status", "Verified")},
		"ListTaxRegistrations": {length("accountDetails", 1), eq("accountDetails.0.accountId", accountID),
			eq("accountDetails.0.taxRegistration.jurisdiction.countryCode", "DE"),
			eq("accountDetails.0.taxRegistration.registrationId", "DE123456789")},
		"GetGovCloudAccountInformation": {matches("GovCloudAccountId", `^\d{12}$`), eq("AccountState", "ACTIVE")},
	} {
		accountExpectations[k] = v
	}
	for k, v := range map[string][]expectation{
		"error_tax_ResourceNotFoundException": {eq("Error.Code", "ResourceNotFoundException")},
		"error_tax_ValidationException": {eq("Error.Code", "ValidationException"), eq("errorCode", "FieldValidationFailed"),
			eq("fieldList.0.name", "legalAddress.countryCode")},
		"error_account_ResourceNotFoundException_govcloud": {eq("Error.Code", "ResourceNotFoundException")},
	} {
		accountErrorChecks[k] = v
	}
}
