package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/sigv4"
)

// sendInv POSTs an Invoicing (JSON 1.0) request signed by k.
func (h *harness) sendInv(t testing.TB, op string, k key, body string) response {
	t.Helper()
	h.tick()
	r, err := http.NewRequest("POST", h.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "Invoicing."+op)
	s := sigv4.Signer{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token, Region: "us-east-1", Service: "invoicing", Now: h.clock}
	if err := s.Sign(r, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return h.do(t, r)
}

// invError decodes a JSON 1.0 error: its code (after '#') and message.
func invError(t testing.TB, r response) (code, message string) {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	_, code, _ = strings.Cut(e.Type, "#")
	return code, e.Message
}

// updateAccount changes the harness account directly in the store.
func updateAccount(t testing.TB, h *harness, fn func(a *gatehouse.Account)) {
	t.Helper()
	err := h.srv.Store.Update(t.Context(), func(tx gatehouse.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		fn(a)
		return tx.UpdateAccount(a)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// recreateAccount wipes the harness store and creates the account again
// with the given creation date (which UpdateAccount does not change).
func recreateAccount(t testing.TB, h *harness, createdAt time.Time) {
	t.Helper()
	ctx := t.Context()
	if err := h.db.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.svc.CreateAccount(ctx, iam.AccountSpec{
		ID: accountID, Email: "root@example.com", Name: "golden", CreatedAt: createdAt,
		RootAccessKeyID: rootKeyID, RootSecretAccessKey: gatehouse.Secret(rootSecret),
	}); err != nil {
		t.Fatal(err)
	}
}

func putInvoices(t testing.TB, h *harness, invs ...*gatehouse.Invoice) {
	t.Helper()
	err := h.srv.Store.Update(t.Context(), func(tx gatehouse.Tx) error {
		for _, i := range invs {
			if err := tx.PutInvoice(i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testInvoice(id, entity, typ string, tax bool) *gatehouse.Invoice {
	return &gatehouse.Invoice{
		AccountID: accountID, InvoiceID: id, BillingPeriod: gatehouse.BillingPeriod{Year: 2025, Month: 2},
		IssuedDate: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		InvoicingEntity: entity, Type: typ, TaxInvoice: tax, Currency: "USD", TotalAmount: "12.34",
		Lines: []gatehouse.InvoiceLine{{Description: "Amazon Elastic Compute Cloud (EC2)", Amount: "12.34"}},
	}
}

// billingPrincipals creates, for each policy name, an IAM user and a
// session of a role that hold that inline policy ("" = no policy).
func billingPrincipals(t *testing.T, h *harness, policies map[string]string) (users, sessions map[string]key) {
	t.Helper()
	g := &goldens{h: h, seen: map[string]bool{}}
	users, sessions = map[string]key{}, map[string]key{}
	g.setup(t, iamForm("CreateUser", "UserName", "assumer"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "assumer", "PolicyName", "assume", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`))
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", "assumer"))
	assumer := key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
	for name, action := range policies {
		user, role := "u-"+name, "r-"+name
		g.setup(t, iamForm("CreateUser", "UserName", user))
		g.setup(t, iamForm("CreateRole", "RoleName", role, "MaxSessionDuration", "43200", "AssumeRolePolicyDocument",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+accountID+`:user/assumer"},"Action":"sts:AssumeRole"}}`))
		if action != "" {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*"}]}`
			g.setup(t, iamForm("PutUserPolicy", "UserName", user, "PolicyName", "billing", "PolicyDocument", doc))
			g.setup(t, iamForm("PutRolePolicy", "RoleName", role, "PolicyName", "billing", "PolicyDocument", doc))
		}
		r := g.setup(t, iamForm("CreateAccessKey", "UserName", user))
		users[name] = key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
		r = h.send(t, "sts", assumer, stsForm("AssumeRole", "RoleArn", "arn:aws:iam::"+accountID+":role/"+role,
			"RoleSessionName", "billing", "DurationSeconds", "43200"))
		if r.status != 200 {
			t.Fatalf("AssumeRole: HTTP %d %s", r.status, r.body)
		}
		sessions[name] = key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey"), token: field(t, r.body, "SessionToken")}
	}
	return users, sessions
}

// TestBillingAccessMatrix: the IAM billing access switch on/off × a
// policy that allows under the model or not, for an IAM user, a role
// session and root, under the legacy and the fine-grained model, on
// ListInvoiceSummaries and GetInvoicePDF.
func TestBillingAccessMatrix(t *testing.T) {
	policies := map[string]string{"none": "", "fine": "invoicing:*", "legacy": "aws-portal:ViewBilling", "admin": "*"}
	for _, model := range []struct {
		name      string
		createdAt time.Time
		now       time.Time // the server clock: legacy accounts are legacy only before the cut-over
		allowing  map[string]bool
		// the action the denial names
		action map[string]string
	}{
		{"legacy", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC),
			map[string]bool{"legacy": true, "admin": true},
			map[string]string{"ListInvoiceSummaries": "aws-portal:ViewBilling", "GetInvoicePDF": "aws-portal:ViewBilling"}},
		{"fine-grained", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), start,
			map[string]bool{"fine": true, "admin": true},
			map[string]string{"ListInvoiceSummaries": "invoicing:ListInvoiceSummaries", "GetInvoicePDF": "invoicing:GetInvoicePDF"}},
	} {
		t.Run(model.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.mu.Lock()
			h.now = model.now
			h.mu.Unlock()
			recreateAccount(t, h, model.createdAt)
			putInvoices(t, h, testInvoice("EU-1", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, false))
			users, sessions := billingPrincipals(t, h, policies)
			ops := []struct{ op, body string }{
				{"ListInvoiceSummaries", `{"Selector":{"ResourceType":"ACCOUNT_ID","Value":"` + accountID + `"}}`},
				{"GetInvoicePDF", `{"InvoiceId":"EU-1"}`},
			}
			for _, on := range []bool{false, true} {
				updateAccount(t, h, func(a *gatehouse.Account) { a.IAMBillingAccess = on })
				for _, o := range ops {
					r := h.sendInv(t, o.op, rootKey, o.body)
					if r.status != 200 {
						t.Errorf("switch %v, root, %s: HTTP %d %s", on, o.op, r.status, r.body)
					}
					for pol := range policies {
						for kind, k := range map[string]key{"user": users[pol], "session": sessions[pol]} {
							r := h.sendInv(t, o.op, k, o.body)
							allowed := on && model.allowing[pol]
							if allowed {
								if r.status != 200 {
									t.Errorf("switch %v, %s with %s, %s: HTTP %d %s, want 200", on, kind, pol, o.op, r.status, r.body)
								}
								continue
							}
							code, msg := invError(t, r)
							if r.status != 400 || code != "AccessDeniedException" {
								t.Errorf("switch %v, %s with %s, %s: HTTP %d %s, want AccessDeniedException", on, kind, pol, o.op, r.status, r.body)
								continue
							}
							if !strings.Contains(msg, "not authorized to perform: "+model.action[o.op]+" ") {
								t.Errorf("switch %v, %s with %s, %s: message %q does not name %s", on, kind, pol, o.op, msg, model.action[o.op])
							}
							if gate := strings.Contains(msg, "IAM user and role access to Billing information is not activated"); gate != !on {
								t.Errorf("switch %v, %s with %s, %s: message %q", on, kind, pol, o.op, msg)
							}
						}
					}
				}
			}
		})
	}
}

// TestInvoiceEntityRule: an allowed IAM principal lists every invoice and
// downloads every document except the tax invoices of AWS Inc. and
// AISPL, which need root (aws-reference §1.2 B3).
func TestInvoiceEntityRule(t *testing.T) {
	h := newHarness(t, nil)
	updateAccount(t, h, func(a *gatehouse.Account) { a.IAMBillingAccess = true })
	users, sessions := billingPrincipals(t, h, map[string]string{"fine": "invoicing:*"})
	cases := []struct {
		id, entity, typ string
		tax, rootOnly   bool
	}{
		{"INC-INV", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeInvoice, false, false},
		{"INC-CM", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeCreditMemo, false, false},
		{"INC-TAX", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeInvoice, true, true},
		{"INC-TAXCM", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeCreditMemo, true, true},
		{"EU-INV", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, false, false},
		{"EU-CM", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeCreditMemo, false, false},
		{"EU-TAX", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, true, false},
		{"EU-TAXCM", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeCreditMemo, true, false},
		{"IN-INV", gatehouse.EntityAWSAISPL, gatehouse.InvoiceTypeInvoice, false, false},
		{"IN-CM", gatehouse.EntityAWSAISPL, gatehouse.InvoiceTypeCreditMemo, false, false},
		{"IN-TAX", gatehouse.EntityAWSAISPL, gatehouse.InvoiceTypeInvoice, true, true},
		{"IN-TAXCM", gatehouse.EntityAWSAISPL, gatehouse.InvoiceTypeCreditMemo, true, true},
	}
	for _, c := range cases {
		putInvoices(t, h, testInvoice(c.id, c.entity, c.typ, c.tax))
	}
	for name, k := range map[string]key{"user": users["fine"], "session": sessions["fine"], "root": h.console(t), "rootKey": rootKey} {
		r := h.sendInv(t, "ListInvoiceSummaries", k, `{"Selector":{"ResourceType":"ACCOUNT_ID","Value":"`+accountID+`"}}`)
		var out struct{ InvoiceSummaries []struct{ InvoiceId string } }
		if err := json.Unmarshal(r.body, &out); r.status != 200 || err != nil || len(out.InvoiceSummaries) != len(cases) {
			t.Errorf("%s: ListInvoiceSummaries HTTP %d %s", name, r.status, r.body)
		}
		for _, c := range cases {
			r := h.sendInv(t, "GetInvoicePDF", k, `{"InvoiceId":"`+c.id+`"}`)
			if c.rootOnly && name == "rootKey" {
				// Root downloads these in the console: its access key
				// is told to sign in.
				if code, msg := invError(t, r); code != "AccessDeniedException" || !strings.Contains(msg, "gatehouse root sign-in") {
					t.Errorf("%s, %s: HTTP %d %s, want the sign-in denial", name, c.id, r.status, r.body)
				}
				continue
			}
			if c.rootOnly && name != "root" {
				code, msg := invError(t, r)
				if code != "AccessDeniedException" || !strings.Contains(msg, "tax invoices issued by "+c.entity+" can be downloaded by the account's root user only") {
					t.Errorf("%s, %s: HTTP %d %s, want the root-only denial", name, c.id, r.status, r.body)
				}
				continue
			}
			if r.status != 200 {
				t.Errorf("%s, %s: HTTP %d %s", name, c.id, r.status, r.body)
			}
		}
	}
}

func TestInvoicePDFDownload(t *testing.T) {
	h := newHarness(t, nil)
	inv := testInvoice("EU-2025-02", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, true)
	inv.Currency, inv.Lines = "EUR", append(inv.Lines, gatehouse.InvoiceLine{Description: "Support (Business)", Amount: "0.00"})
	putInvoices(t, h, inv)
	r := h.sendInv(t, "GetInvoicePDF", rootKey, `{"InvoiceId":"EU-2025-02"}`)
	var out struct {
		InvoicePDF struct {
			InvoiceId, DocumentUrl    string
			DocumentUrlExpirationDate float64
		}
	}
	if err := json.Unmarshal(r.body, &out); r.status != 200 || err != nil {
		t.Fatalf("GetInvoicePDF: HTTP %d %s", r.status, r.body)
	}
	if exp := time.Unix(int64(out.InvoicePDF.DocumentUrlExpirationDate), 0); !exp.Equal(h.clock().Add(5 * time.Minute)) {
		t.Errorf("expires %v, now %v", exp, h.clock())
	}
	get := func(u string) response {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		return h.do(t, req)
	}
	r = get(out.InvoicePDF.DocumentUrl)
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-1.4\n")) ||
		!bytes.HasSuffix(r.body, []byte("%%EOF\n")) {
		t.Fatalf("download: HTTP %d %s %.100q", r.status, r.header.Get("Content-Type"), r.body)
	}
	for _, want := range []string{"(Tax invoice EU-2025-02) Tj", "(Amazon Web Services EMEA SARL) Tj", "(Total: 12.34 EUR) Tj",
		"(Support \\(Business\\): 0.00 EUR) Tj", "(Billing period: 2025-02) Tj"} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	checkXref(t, r.body)
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(pdftotext, "-", "-")
		cmd.Stdin = bytes.NewReader(r.body)
		text, err := cmd.Output()
		if err != nil || !strings.Contains(string(text), "Tax invoice EU-2025-02") {
			t.Errorf("pdftotext: %v %s", err, text)
		}
	}

	u, _ := url.Parse(out.InvoicePDF.DocumentUrl)
	tamper := func(f func(q url.Values, u *url.URL)) string {
		v := *u
		q := v.Query()
		f(q, &v)
		v.RawQuery = q.Encode()
		return v.String()
	}
	for name, bad := range map[string]string{
		"signature": tamper(func(q url.Values, _ *url.URL) { q.Set("signature", strings.Repeat("0", 64)) }),
		"expires":   tamper(func(q url.Values, _ *url.URL) { q.Set("expires", "9999999999") }),
		"account":   tamper(func(q url.Values, _ *url.URL) { q.Set("account", "210987654321") }),
		"invoice":   tamper(func(_ url.Values, u *url.URL) { u.Path = strings.Replace(u.Path, "EU-2025-02", "EU-2025-01", 1) }),
		"unsigned":  tamper(func(q url.Values, _ *url.URL) { q.Del("signature") }),
	} {
		if r := get(bad); r.status != 403 {
			t.Errorf("tampered %s: HTTP %d", name, r.status)
		}
	}
	h.mu.Lock()
	h.now = h.now.Add(5 * time.Minute)
	h.mu.Unlock()
	if r := get(out.InvoicePDF.DocumentUrl); r.status != 403 || !strings.Contains(string(r.body), "expired") {
		t.Errorf("expired URL: HTTP %d %s", r.status, r.body)
	}
}

// checkXref checks that every xref entry points at its "N 0 obj" and
// startxref at the xref table.
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	var xref int
	if _, err := fmtSscan(string(pdf[i+len("startxref\n"):]), &xref); err != nil || !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table (%v)", xref, err)
	}
	lines := strings.Split(string(pdf[xref:]), "\n")
	var n int
	fmtSscan(strings.Fields(lines[1])[1], &n)
	for obj := 1; obj < n; obj++ {
		var off int
		fmtSscan(lines[2+obj][:10], &off)
		if want := []byte(itoa(obj) + " 0 obj\n"); !bytes.HasPrefix(pdf[off:], want) {
			t.Errorf("xref entry %d: offset %d does not start %q", obj, off, want)
		}
	}
}

// TestInvoicingProtocol covers the JSON 1.0 details: unknown targets,
// validation errors, filters and paging.
func TestInvoicingProtocol(t *testing.T) {
	h := newHarness(t, nil)
	putInvoices(t, h,
		testInvoice("A", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeInvoice, false),
		testInvoice("B", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, false),
		testInvoice("C", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeCreditMemo, false))
	jan := testInvoice("D", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeInvoice, false)
	jan.BillingPeriod.Month, jan.IssuedDate = 1, time.Date(2025, 2, 2, 0, 0, 0, 0, time.UTC)
	putInvoices(t, h, jan)
	sel := `"Selector":{"ResourceType":"ACCOUNT_ID","Value":"` + accountID + `"}`
	ids := func(body string) []string {
		t.Helper()
		r := h.sendInv(t, "ListInvoiceSummaries", rootKey, body)
		var out struct {
			InvoiceSummaries []struct{ InvoiceId string }
			NextToken        string
		}
		if err := json.Unmarshal(r.body, &out); r.status != 200 || err != nil {
			t.Fatalf("%s: HTTP %d %s", body, r.status, r.body)
		}
		var got []string
		for _, s := range out.InvoiceSummaries {
			got = append(got, s.InvoiceId)
		}
		if out.NextToken != "" {
			got = append(got, "next="+out.NextToken)
		}
		return got
	}
	for body, want := range map[string]string{
		`{` + sel + `}`: "A B C D",
		`{` + sel + `,"Filter":{"BillingPeriod":{"Month":1,"Year":2025}}}`:                      "D",
		`{` + sel + `,"Filter":{"InvoicingEntity":"Amazon Web Services EMEA SARL"}}`:            "B C",
		`{` + sel + `,"Filter":{"TimeInterval":{"StartDate":1738368000,"EndDate":1740787200}}}`: "D",
		`{"Selector":{"ResourceType":"INVOICE_ID","Value":"C"}}`:                                "C",
		`{` + sel + `,"MaxResults":3}`:                                                          "A B C next=Mw",
		`{` + sel + `,"MaxResults":3,"NextToken":"Mw"}`:                                         "D",
		`{` + sel + `,"Filter":{"ReceiverRole":"SELLER"}}`:                                      "",
	} {
		if got := strings.Join(ids(body), " "); got != want {
			t.Errorf("%s: %q, want %q", body, got, want)
		}
	}
	for _, tc := range []struct{ op, target, body, code string }{
		{"ListInvoiceSummaries", "", `{}`, "ValidationException"},
		{"ListInvoiceSummaries", "", `{"Selector":{"ResourceType":"ORG","Value":"x"}}`, "ValidationException"},
		{"ListInvoiceSummaries", "", `{` + sel + `,"MaxResults":101}`, "ValidationException"},
		{"ListInvoiceSummaries", "", `{` + sel + `,"NextToken":"bogus"}`, "ValidationException"},
		{"ListInvoiceSummaries", "", `{` + sel + `,"Bogus":1}`, "ValidationException"},
		{"ListInvoiceSummaries", "", `{"Selector":{"ResourceType":"ACCOUNT_ID","Value":"210987654321"}}`, "AccessDeniedException"},
		{"GetInvoicePDF", "", `{"InvoiceId":"nope"}`, "ResourceNotFoundException"},
		{"GetInvoicePDF", "", `{}`, "ValidationException"},
		{"GetInvoices", "", `{}`, "UnknownOperationException"},
	} {
		r := h.sendInv(t, tc.op, rootKey, tc.body)
		code, msg := invError(t, r)
		if r.status != 400 || code != tc.code || msg == "" {
			t.Errorf("%s %s: HTTP %d %s, want 400 %s", tc.op, tc.body, r.status, r.body, tc.code)
		}
	}
}

// fmtSscan reads a decimal integer (leading zeros are not octal).
func fmtSscan(s string, v *int) (int, error) {
	var w string
	if _, err := fmt.Sscan(s, &w); err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(w)
	*v = n
	return 1, err
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestInvoicingCLI drives the Invoicing API with the aws CLI.
func TestInvoicingCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is needed for this test: %v", err)
	}
	h := newHarness(t, nil)
	h.mu.Lock()
	h.now = time.Now() // the CLI signs with the real clock
	h.mu.Unlock()
	putInvoices(t, h, testInvoice("EU-1", gatehouse.EntityAWSEMEA, gatehouse.InvoiceTypeInvoice, true),
		testInvoice("US-1", gatehouse.EntityAWSInc, gatehouse.InvoiceTypeInvoice, false))
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(aws, append([]string{"invoicing", "--endpoint-url", h.url, "--region", "us-east-1", "--output", "json"}, args...)...)
		cmd.Env = []string{"AWS_ACCESS_KEY_ID=" + rootKeyID, "AWS_SECRET_ACCESS_KEY=" + rootSecret,
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "HOME=" + t.TempDir(), "PATH=/usr/bin:/bin:" + strings.TrimSuffix(aws, "/aws")}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("aws invoicing %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	var list struct {
		InvoiceSummaries []struct {
			InvoiceId  string
			IssuedDate float64 // the aws CLI v1 prints timestamps as received
			Entity     struct{ InvoicingEntity string }
		}
	}
	out := run("list-invoice-summaries", "--selector", "ResourceType=ACCOUNT_ID,Value="+accountID,
		"--filter", `InvoicingEntity=Amazon Web Services EMEA SARL`)
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.InvoiceSummaries) != 1 || list.InvoiceSummaries[0].InvoiceId != "EU-1" ||
		list.InvoiceSummaries[0].IssuedDate != float64(time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC).Unix()) {
		t.Errorf("list-invoice-summaries: %s", out)
	}
	var pdf struct{ InvoicePDF struct{ DocumentUrl string } }
	if err := json.Unmarshal(run("get-invoice-pdf", "--invoice-id", "EU-1"), &pdf); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(pdf.InvoicePDF.DocumentUrl)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Errorf("download: HTTP %d %.40q", resp.StatusCode, b.Bytes())
	}
}
