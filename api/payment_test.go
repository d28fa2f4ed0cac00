package api_test

import (
	"strings"
	"testing"
)

// TestPaymentPreferences checks that the payment preference operations
// are not root-only: a user granted payments:ListPaymentPreferences and
// payments:UpdatePaymentPreferences reads and updates them, a user without
// is denied with the standard AccessDenied message, and the currency is
// validated.
func TestPaymentPreferences(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "payer"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "payer", "PolicyName", "payments", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["payments:ListPaymentPreferences","payments:UpdatePaymentPreferences"],"Resource":"*"}]}`))
	g.setup(t, iamForm("CreateUser", "UserName", "nobody"))
	payer := newKey(t, g, "payer")
	nobody := newKey(t, g, "nobody")

	// Payment preferences are billing information: with IAM access to
	// billing off (a new account's default) even a permitted user is refused.
	gated := ghFail(t, h.sendGH(t, "GetPaymentPreferences", payer, `{}`), 403, "AccessDeniedException")
	if want := "because IAM user and role access to Billing information is not activated"; !strings.Contains(gated, want) {
		t.Errorf("gate message %q, want it to contain %q", gated, want)
	}
	h.ghOK(t, "UpdateIAMBillingAccess", h.console(t), `{"IamUserAccessToBilling":"ALLOW"}`)

	p := h.ghOK(t, "GetPaymentPreferences", payer, `{}`)
	if p["PreferredCurrency"] != "USD" || p["InvoiceDeliveryByEmail"] != true || p["CreditSharing"] != true {
		t.Errorf("defaults %v", p)
	}
	p = h.ghOK(t, "PutPaymentPreferences", payer, `{"PreferredCurrency":"GBP","CreditSharing":false}`)
	if p["PreferredCurrency"] != "GBP" || p["InvoiceDeliveryByEmail"] != true || p["CreditSharing"] != false || p["LastUpdatedAt"] == nil {
		t.Errorf("after put %v", p)
	}
	if p = h.ghOK(t, "GetPaymentPreferences", rootKey, ``); p["PreferredCurrency"] != "GBP" || p["CreditSharing"] != false {
		t.Errorf("root reads %v", p)
	}
	ghFail(t, h.sendGH(t, "PutPaymentPreferences", payer, `{"PreferredCurrency":"usd"}`), 400, "ValidationException")
	for op, body := range map[string]string{"GetPaymentPreferences": `{}`, "PutPaymentPreferences": `{"PreferredCurrency":"JPY"}`} {
		action := map[string]string{"GetPaymentPreferences": "payments:ListPaymentPreferences", "PutPaymentPreferences": "payments:UpdatePaymentPreferences"}[op]
		msg := ghFail(t, h.sendGH(t, op, nobody, body), 403, "AccessDeniedException")
		want := "User: arn:aws:iam::" + accountID + ":user/nobody is not authorized to perform: " + action +
			" on resource: * because no identity-based policy allows the " + action + " action"
		if msg != want {
			t.Errorf("%s: message %q\nwant %q", op, msg, want)
		}
	}
	if p = h.ghOK(t, "GetPaymentPreferences", payer, `{}`); p["PreferredCurrency"] != "GBP" {
		t.Errorf("after denied put %v", p)
	}
}
