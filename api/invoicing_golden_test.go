package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// The Invoicing (AWS JSON 1.0) part of TestGolden: goldens are the JSON
// bodies, indented, in testdata/golden/<name>.json, with the test
// server's address replaced by http://gatehouse.test; botocore's
// JSONParser reads each one (testdata/botoparse_json.py). TestGolden
// calls invoicingGoldens before accountMgmtGoldens, which checks that
// every JSON golden is used; it leaves the billing access switch off.

func init() {
	for k, v := range map[string][]expectation{
		"ListInvoiceSummaries": {length("InvoiceSummaries", 2), eq("InvoiceSummaries.0.InvoiceId", "EU-2025-02"),
			eq("InvoiceSummaries.0.Entity.InvoicingEntity", gatehouse.EntityAWSEMEA), eq("InvoiceSummaries.0.BillingPeriod.Month", 2.0),
			timestamp("InvoiceSummaries.0.IssuedDate"), eq("InvoiceSummaries.1.InvoiceType", "CREDIT_MEMO"), absent("NextToken")},
		"ListInvoiceSummaries_truncated": {length("InvoiceSummaries", 1), matches("NextToken", ".+")},
		"GetInvoicePDF": {eq("InvoicePDF.InvoiceId", "EU-2025-02"), matches("InvoicePDF.DocumentUrl",
			`http://gatehouse\.test/_gatehouse/invoices/EU-2025-02\.pdf\?account=123456789012&expires=[0-9]+&signature=[0-9a-f]{64}`),
			timestamp("InvoicePDF.DocumentUrlExpirationDate"), length("InvoicePDF.SupplementalDocuments", 0)},
	} {
		accountExpectations[k] = v
	}
	denied := func(who, action, because string) []expectation {
		return []expectation{eq("Error.Code", "AccessDeniedException"),
			eq("Error.Message", "User: arn:aws:iam::123456789012:user/"+who+" is not authorized to perform: "+action+" on resource: * because "+because)}
	}
	for k, v := range map[string][]expectation{
		"error_invoicing_ValidationException": {eq("Error.Code", "ValidationException"), eq("reason", "fieldValidationFailed"),
			length("fieldList", 1), eq("fieldList.0.name", "selector")},
		"error_invoicing_ValidationException_next_token": {eq("Error.Code", "ValidationException"), eq("reason", "invalidNextToken")},
		"error_invoicing_ResourceNotFoundException":      {eq("Error.Code", "ResourceNotFoundException")},
		"error_invoicing_AccessDeniedException_billing_access": denied("erin", "invoicing:ListInvoiceSummaries",
			"IAM user and role access to Billing information is not activated for account 123456789012 (only the root user can activate it)"),
		"error_invoicing_AccessDeniedException": denied("frank", "invoicing:GetInvoicePDF",
			"no identity-based policy allows the invoicing:GetInvoicePDF action"),
		"error_invoicing_AccessDeniedException_tax_invoice": {eq("Error.Code", "AccessDeniedException"),
			eq("Error.Message", "User: arn:aws:iam::123456789012:user/erin is not authorized to download invoice US-2025-02 because tax invoices "+
				"issued by Amazon Web Services, Inc. can be downloaded by the account's root user only")},
	} {
		accountErrorChecks[k] = v
	}
}

// checkInvoicing compares r with testdata/golden/<name>.json.
func (a *accountGoldens) checkInvoicing(t *testing.T, name, op string, want int, r response) {
	t.Helper()
	if a.g.seen[name] {
		t.Fatalf("golden %s checked twice", name)
	}
	a.g.seen[name] = true
	if r.status != want {
		t.Errorf("%s: HTTP %d, want %d\n%s", name, r.status, want, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
		t.Errorf("%s: Content-Type = %q", name, ct)
	}
	if id := r.header.Get("X-Amzn-Requestid"); !requestIDPattern.MatchString(id) {
		t.Errorf("%s: X-Amzn-Requestid = %q", name, id)
	}
	errType := ""
	if want >= 300 {
		errType, _ = invError(t, r)
	}
	body := bytes.ReplaceAll(r.body, []byte(a.g.h.url), []byte("http://gatehouse.test"))
	var got bytes.Buffer
	if err := json.Indent(&got, body, "", "  "); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, r.body)
	}
	got.WriteByte('\n')
	file := filepath.Join(goldenDir, name+".json")
	if *update {
		if err := os.WriteFile(file, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if wantBody, err := os.ReadFile(file); err != nil {
		t.Errorf("%s: %v (run go test ./api -run TestGolden -update)", name, err)
	} else if !bytes.Equal(wantBody, got.Bytes()) {
		t.Errorf("%s: body differs from %s\n--- got:\n%s--- want:\n%s", name, file, got.Bytes(), wantBody)
	}
	a.jobs = append(a.jobs, jsonJob{Service: "invoicing", Operation: op, File: file, Status: want, ErrorType: errType})
}

func invoicingGoldens(t *testing.T, g *goldens) {
	t.Helper()
	h := g.h
	h.srv.URLKey = bytes.Repeat([]byte{9}, 32) // before the first GetInvoicePDF: stable signatures
	a := &accountGoldens{g: g}
	eu := testInvoice("EU-2025-02", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, true)
	eu.Currency = "EUR"
	us := testInvoice("US-2025-02", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeCreditMemo, true)
	us.IssuedDate, us.TotalAmount, us.Lines = us.IssuedDate.Add(-24*60*60*1e9), "-5.00", nil
	putInvoices(t, h, eu, us)
	sel := `"Selector":{"ResourceType":"ACCOUNT_ID","Value":"` + accountID + `"}`
	root := func(op, variant, body string) response {
		t.Helper()
		name := op
		if variant != "" {
			name += "_" + variant
		}
		r := h.sendInv(t, op, rootKey, body)
		a.checkInvoicing(t, name, op, 200, r)
		return r
	}
	fail := func(name, op string, k key, body string) {
		t.Helper()
		a.checkInvoicing(t, "error_invoicing_"+name, op, 400, h.sendInv(t, op, k, body))
	}
	root("ListInvoiceSummaries", "", `{`+sel+`}`)
	root("ListInvoiceSummaries", "truncated", `{`+sel+`,"MaxResults":1}`)
	root("GetInvoicePDF", "", `{"InvoiceId":"EU-2025-02"}`)
	fail("ValidationException", "ListInvoiceSummaries", rootKey, `{}`)
	fail("ValidationException_next_token", "ListInvoiceSummaries", rootKey, `{`+sel+`,"NextToken":"bm90IGEgdG9rZW4"}`)
	fail("ResourceNotFoundException", "GetInvoicePDF", rootKey, `{"InvoiceId":"NONE"}`)

	user := func(name, action string) key {
		g.setup(t, iamForm("CreateUser", "UserName", name))
		if action != "" {
			g.setup(t, iamForm("PutUserPolicy", "UserName", name, "PolicyName", "billing", "PolicyDocument",
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"`+action+`","Resource":"*"}]}`))
		}
		r := g.setup(t, iamForm("CreateAccessKey", "UserName", name))
		return key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	}
	erin, frank := user("erin", "invoicing:*"), user("frank", "")
	fail("AccessDeniedException_billing_access", "ListInvoiceSummaries", erin, `{`+sel+`}`)
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"ALLOW"}`)
	fail("AccessDeniedException", "GetInvoicePDF", frank, `{"InvoiceId":"EU-2025-02"}`)
	fail("AccessDeniedException_tax_invoice", "GetInvoicePDF", erin, `{"InvoiceId":"US-2025-02"}`)
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"DENY"}`)
	if !t.Failed() && !*update {
		checkBotocoreJSON(t, a.jobs)
	}
}
