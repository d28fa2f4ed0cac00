package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/billing"
)

// TestAccountBillingPermissionModel: the Account API operations of the
// billing mapping (aws-reference §3.2) follow the account's billing
// permission model — pinned, or auto by creation date on both sides of
// 2023-03-06 18:00 UTC — and are not behind the IAM billing access
// switch (it stays off here).
func TestAccountBillingPermissionModel(t *testing.T) {
	policies := map[string]string{"none": "", "fine": "account:GetContactInformation", "legacy": "aws-portal:ViewAccount"}
	beforeCutover := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		pinned    string
		createdAt time.Time
		now       time.Time
		want      billing.PermissionModel
	}{
		{"pinned legacy, new account", "legacy", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), start, billing.Legacy},
		{"pinned fine-grained, old account before cut-over", "fine-grained", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), beforeCutover, billing.FineGrained},
		{"auto, created 1s before launch", "", billing.FineGrainedLaunch.Add(-time.Second), beforeCutover, billing.Legacy},
		{"auto, created at launch", "", billing.FineGrainedLaunch, beforeCutover, billing.FineGrained},
		{"auto spelled out, created at launch", "auto", billing.FineGrainedLaunch, beforeCutover, billing.FineGrained},
		{"auto, old account after cut-over", "", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), start, billing.FineGrained},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.mu.Lock()
			h.now = tc.now
			h.mu.Unlock()
			recreateAccount(t, h, tc.createdAt)
			updateAccount(t, h, func(a *gatehouse.Account) { a.BillingPermissions = tc.pinned })
			users, sessions := billingPrincipals(t, h, policies)
			if r := h.sendJSON(t, "PutContactInformation", rootKey, contactJSON); r.status != 200 {
				t.Fatalf("root PutContactInformation: HTTP %d %s", r.status, r.body)
			}
			allowed := map[string]bool{"fine": tc.want == billing.FineGrained, "legacy": tc.want == billing.Legacy}
			wantAction := "account:GetContactInformation"
			if tc.want == billing.Legacy {
				wantAction = "aws-portal:ViewAccount"
			}
			for pol := range policies {
				for kind, k := range map[string]key{"user": users[pol], "session": sessions[pol]} {
					r := h.sendJSON(t, "GetContactInformation", k, `{}`)
					if allowed[pol] {
						if r.status != 200 {
							t.Errorf("%s with %s: HTTP %d %s, want 200", kind, pol, r.status, r.body)
						}
						continue
					}
					if r.status != 403 || !strings.Contains(string(r.body), "not authorized to perform: "+wantAction+" ") {
						t.Errorf("%s with %s: HTTP %d %s, want 403 naming %s", kind, pol, r.status, r.body, wantAction)
					}
				}
			}
			if r := h.sendJSON(t, "GetContactInformation", rootKey, `{}`); r.status != 200 {
				t.Errorf("root: HTTP %d %s", r.status, r.body)
			}
		})
	}
}

// TestAccountOpsLegacyActions: under a legacy-pinned account every Account
// API operation of the mapping accepts the retired action the mapping
// lists for it and refuses its own fine-grained action; operations the
// mapping does not list (ListRegions) keep their own action.
func TestAccountOpsLegacyActions(t *testing.T) {
	altJSON := `{"AlternateContactType":"BILLING","Name":"Jane","Title":"CFO","EmailAddress":"jane@example.com","PhoneNumber":"+1 206 555 0100"}`
	ops := []struct {
		op, body, legacy string
		named            string // the action a denial names: the first, sorted, of the retired actions
	}{
		{"PutContactInformation", contactJSON, "aws-portal:ModifyAccount", "aws-portal:ModifyAccount"},
		{"GetContactInformation", `{}`, "aws-portal:ViewAccount", "aws-portal:ViewAccount"},
		{"GetAccountInformation", `{}`, "aws-portal:ViewAccount", "aws-portal:ModifyPaymentMethods"},
		{"PutAlternateContact", altJSON, "aws-portal:ModifyAccount", "aws-portal:ModifyAccount"},
		{"GetAlternateContact", `{"AlternateContactType":"BILLING"}`, "aws-portal:ViewAccount", "aws-portal:ViewAccount"},
		{"DeleteAlternateContact", `{"AlternateContactType":"BILLING"}`, "aws-portal:ModifyAccount", "aws-portal:ModifyAccount"},
		{"ListRegions", `{}`, "", ""},
	}
	policies := map[string]string{}
	for _, o := range ops {
		policies["fine-"+o.op] = "account:" + o.op
		if o.legacy != "" {
			policies["legacy-"+o.op] = o.legacy
		}
	}
	h := newHarness(t, nil)
	updateAccount(t, h, func(a *gatehouse.Account) { a.BillingPermissions = "legacy" })
	users, _ := billingPrincipals(t, h, policies)
	for _, o := range ops {
		if o.legacy == "" {
			if r := h.sendJSON(t, o.op, users["fine-"+o.op], o.body); r.status != 200 {
				t.Errorf("%s with its own action under legacy: HTTP %d %s", o.op, r.status, r.body)
			}
			continue
		}
		if r := h.sendJSON(t, o.op, users["fine-"+o.op], o.body); r.status != 403 ||
			!strings.Contains(string(r.body), "not authorized to perform: "+o.named+" ") {
			t.Errorf("%s with account:%s under legacy: HTTP %d %s, want 403 naming %s", o.op, o.op, r.status, r.body, o.named)
		}
		if r := h.sendJSON(t, o.op, users["legacy-"+o.op], o.body); r.status != 200 {
			t.Errorf("%s with %s under legacy: HTTP %d %s, want 200", o.op, o.legacy, r.status, r.body)
		}
	}
}

// TestTaxBillingGate: tax settings operations are behind the IAM billing
// access switch and follow the billing permission model.
func TestTaxBillingGate(t *testing.T) {
	policies := map[string]string{"none": "", "tax": "tax:*", "legacy": "aws-portal:ViewBilling"}
	h := newHarness(t, nil)
	users, sessions := billingPrincipals(t, h, policies)
	if r := h.sendTax(t, "PutTaxRegistration", rootKey, taxEntryJSON); r.status != 200 {
		t.Fatalf("root PutTaxRegistration with the switch off: HTTP %d %s", r.status, r.body)
	}
	ops := []struct{ op, body string }{
		{"ListTaxRegistrations", `{}`},
		{"GetTaxRegistration", `{}`},
		{"PutTaxRegistration", taxEntryJSON},
	}
	for _, tc := range []struct {
		name   string
		on     bool
		pinned string
		// allowed: policy -> operations it may call
		allowed map[string][]string
	}{
		{"switch off", false, "", nil},
		{"switch on, fine-grained", true, "fine-grained", map[string][]string{"tax": {"ListTaxRegistrations", "GetTaxRegistration", "PutTaxRegistration"}}},
		// ListTaxRegistrations maps to aws-portal:ViewBilling; Get/PutTaxRegistration
		// have no retired equivalent and require themselves under either model.
		{"switch on, legacy", true, "legacy", map[string][]string{"tax": {"GetTaxRegistration", "PutTaxRegistration"}, "legacy": {"ListTaxRegistrations"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			updateAccount(t, h, func(a *gatehouse.Account) { a.IAMBillingAccess, a.BillingPermissions = tc.on, tc.pinned })
			for _, o := range ops {
				if r := h.sendTax(t, o.op, rootKey, o.body); r.status != 200 {
					t.Errorf("root %s: HTTP %d %s", o.op, r.status, r.body)
				}
				for pol := range policies {
					allowed := false
					for _, a := range tc.allowed[pol] {
						allowed = allowed || a == o.op
					}
					for kind, k := range map[string]key{"user": users[pol], "session": sessions[pol]} {
						r := h.sendTax(t, o.op, k, o.body)
						if allowed {
							if r.status != 200 {
								t.Errorf("%s with %s, %s: HTTP %d %s, want 200", kind, pol, o.op, r.status, r.body)
							}
							continue
						}
						body := string(r.body)
						// 401: the taxsettings model's status of AccessDeniedException.
						if r.status != 401 || !strings.Contains(body, "AccessDenied") {
							t.Errorf("%s with %s, %s: HTTP %d %s, want AccessDenied", kind, pol, o.op, r.status, body)
							continue
						}
						if gate := strings.Contains(body, "IAM user and role access to Billing information is not activated"); gate != !tc.on {
							t.Errorf("%s with %s, %s: gate in message %v, want %v: %s", kind, pol, o.op, gate, !tc.on, body)
						}
					}
				}
			}
		})
	}
}
