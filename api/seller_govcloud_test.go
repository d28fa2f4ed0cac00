package api_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSellerGovCloudRootOnly checks that an IAM admin and a role session
// with every permission are denied the root-only seller and GovCloud
// tasks with Gatehouse's message, and may read the seller profile.
func TestSellerGovCloudRootOnly(t *testing.T) {
	h := newHarness(t, nil)
	admin, session := principals(t, h)
	ops := []struct{ op, body string }{
		{"RegisterMarketplaceSeller", `{"LegalName":"X","BankAccountNumber":"12345678","RoutingNumber":"021000021","TaxId":"123456789"}`},
		{"SignUpGovCloud", `{}`},
		{"RequestGovCloudRootAccessKeys", `{}`},
		{"GetSupportCase", `{"CaseId":"case-1"}`},
	}
	for _, tc := range ops {
		for _, p := range []struct {
			name string
			k    key
			arn  string
		}{
			{"admin", admin, "arn:aws:iam::" + accountID + ":user/admin"},
			{"session", session, "arn:aws:sts::" + accountID + ":assumed-role/ops/s1"},
		} {
			t.Run(tc.op+"/"+p.name, func(t *testing.T) {
				msg := ghFail(t, h.sendGH(t, tc.op, p.k, tc.body), 403, "AccessDeniedException")
				want := "User: " + p.arn + " is not authorized to perform: gatehouse:" + tc.op +
					" on resource: arn:aws:iam::" + accountID + ":root because this action requires the account's root user"
				if msg != want {
					t.Errorf("message %q\nwant    %q", msg, want)
				}
			})
		}
	}
	if got := h.ghOK(t, "GetMarketplaceSellerProfile", admin, `{}`); got["Status"] != "NOT_REGISTERED" {
		t.Errorf("profile %v after denied requests", got)
	}
	ghFail(t, h.sendJSON(t, "GetGovCloudAccountInformation", admin, `{}`), 404, "ResourceNotFoundException")

	// Root signs up; the admin (account:* via "*") sees the linked account.
	g := h.ghOK(t, "SignUpGovCloud", h.console(t), `{}`)
	id, _ := g["GovCloudAccountId"].(string)
	if len(id) != 12 || id == accountID || g["RootUserArn"] != "arn:aws-us-gov:iam::"+id+":root" || g["Partition"] != "aws-us-gov" {
		t.Fatalf("SignUpGovCloud: %v", g)
	}
	r := h.sendJSON(t, "GetGovCloudAccountInformation", admin, `{}`)
	var info map[string]any
	json.Unmarshal(r.body, &info)
	if r.status != 200 || info["GovCloudAccountId"] != id || info["AccountState"] != "ACTIVE" {
		t.Errorf("GetGovCloudAccountInformation: HTTP %d %s", r.status, r.body)
	}
	c := h.ghOK(t, "RequestGovCloudRootAccessKeys", h.console(t), `{}`)
	if c["Status"] != "OPEN" || !strings.HasPrefix(c["CaseId"].(string), "case-") {
		t.Errorf("case %v", c)
	}
	if got := h.ghOK(t, "GetSupportCase", rootKey, `{"CaseId":"`+c["CaseId"].(string)+`"}`); got["Status"] != "OPEN" {
		t.Errorf("GetSupportCase %v", got)
	}
}

// TestSellerProfileSecrets registers a seller and checks that the bank
// account, routing number and tax ID never appear in full in a response
// or a log line, and that a user granted gatehouse:GetMarketplaceSellerProfile
// reads the masked profile while one without it is denied.
func TestSellerProfileSecrets(t *testing.T) {
	var logs lockedBuffer
	h := newHarness(t, func(s *api.Server) {
		s.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	const bank, routing, taxID = "987654321098", "021000021", "98-7654321"
	body := `{"LegalName":"Seller & Sons","BankAccountNumber":"` + bank + `","RoutingNumber":"` + routing + `","TaxId":"` + taxID + `"}`
	var seen []string
	reg := h.sendGH(t, "RegisterMarketplaceSeller", h.console(t), body)
	seen = append(seen, string(reg.body))
	if reg.status != 200 {
		t.Fatalf("register: %d %s", reg.status, reg.body)
	}
	bad := h.sendGH(t, "RegisterMarketplaceSeller", h.console(t), `{"LegalName":"X","BankAccountNumber":"`+bank+`x","RoutingNumber":"`+routing+`","TaxId":"`+taxID+`"}`)
	ghFail(t, bad, 400, "ValidationException")
	seen = append(seen, string(bad.body))

	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "reader"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "reader", "PolicyName", "seller", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"gatehouse:GetMarketplaceSellerProfile","Resource":"*"}]}`))
	g.setup(t, iamForm("CreateUser", "UserName", "nobody"))
	reader := newKey(t, g, "reader")
	nobody := newKey(t, g, "nobody")
	for _, k := range []key{rootKey, reader} {
		r := h.sendGH(t, "GetMarketplaceSellerProfile", k, `{}`)
		seen = append(seen, string(r.body))
		var p map[string]any
		json.Unmarshal(r.body, &p)
		if r.status != 200 || p["Status"] != "REGISTERED" || p["LegalName"] != "Seller & Sons" ||
			p["BankAccountNumber"] != "********1098" || p["RoutingNumber"] != "*****0021" || p["TaxId"] != "*****4321" {
			t.Errorf("profile: HTTP %d %s", r.status, r.body)
		}
	}
	ghFail(t, h.sendGH(t, "GetMarketplaceSellerProfile", nobody, `{}`), 403, "AccessDeniedException")
	seen = append(seen, logs.String())
	for _, s := range seen {
		for _, secret := range []string{bank, routing, taxID, "987654321", "7654321"} {
			if strings.Contains(s, secret) {
				t.Errorf("secret %s appears in %s", secret, s)
			}
		}
	}
}

func newKey(t *testing.T, g *goldens, user string) key {
	t.Helper()
	r := g.setup(t, iamForm("CreateAccessKey", "UserName", user))
	return key{id: field(t, r.body, "AccessKeyId"), secret: field(t, r.body, "SecretAccessKey")}
}

// TestTaxSettings covers the Tax Settings actions and errors that the
// goldens do not: an IAM user needs tax:* actions, another account's ID
// is refused, and a bad nextToken is a ValidationException.
func TestTaxSettings(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "taxer"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "taxer", "PolicyName", "tax", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["tax:PutTaxRegistration","tax:GetTaxRegistration"],"Resource":"*"}]}`))
	taxer := newKey(t, g, "taxer")
	// Tax settings are behind the IAM billing access switch (TestTaxBillingGate).
	updateAccount(t, h, func(a *gatehouse.Account) { a.IAMBillingAccess = true })
	if r := h.sendTax(t, "PutTaxRegistration", taxer, taxEntryJSON); r.status != 200 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	if r := h.sendTax(t, "GetTaxRegistration", taxer, `{"accountId":"`+accountID+`"}`); r.status != 200 {
		t.Errorf("get own account: %d %s", r.status, r.body)
	}
	// AccessDeniedException is 401 in the taxsettings model (TestErrorStatusesMatchModels).
	ghFail(t, h.sendTax(t, "ListTaxRegistrations", taxer, `{}`), 401, "AccessDeniedException")
	ghFail(t, h.sendTax(t, "GetTaxRegistration", rootKey, `{"accountId":"210987654321"}`), 401, "AccessDeniedException")
	ghFail(t, h.sendTax(t, "ListTaxRegistrations", rootKey, `{"nextToken":"abc"}`), 400, "ValidationException")
	ghFail(t, h.sendTax(t, "ListTaxRegistrations", rootKey, `{"maxResults":0}`), 400, "ValidationException")
	ghFail(t, h.sendTax(t, "PutTaxRegistration", rootKey, `{}`), 400, "ValidationException")
	// lowerCamel paths are not Tax Settings paths.
	r := h.sendTax(t, "listTaxRegistrations", rootKey, `{}`)
	if r.status != 404 {
		t.Errorf("lowerCamel path: HTTP %d %s", r.status, r.body)
	}
}
