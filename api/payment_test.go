package api_test

import (
	"testing"
)

// TestPaymentPreferences checks that the payment preference operations
// are not root-only: a user granted gatehouse:GetPaymentPreferences and
// gatehouse:PutPaymentPreferences reads and updates them, a user without
// is denied with the standard AccessDenied message, and the currency is
// validated.
func TestPaymentPreferences(t *testing.T) {
	h := newHarness(t, nil)
	g := &goldens{h: h, seen: map[string]bool{}}
	g.setup(t, iamForm("CreateUser", "UserName", "payer"))
	g.setup(t, iamForm("PutUserPolicy", "UserName", "payer", "PolicyName", "payments", "PolicyDocument",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["gatehouse:GetPaymentPreferences","gatehouse:PutPaymentPreferences"],"Resource":"arn:aws:iam::`+accountID+`:root"}]}`))
	g.setup(t, iamForm("CreateUser", "UserName", "nobody"))
	payer := newKey(t, g, "payer")
	nobody := newKey(t, g, "nobody")

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
		msg := ghFail(t, h.sendGH(t, op, nobody, body), 403, "AccessDeniedException")
		want := "User: arn:aws:iam::" + accountID + ":user/nobody is not authorized to perform: gatehouse:" + op +
			" on resource: arn:aws:iam::" + accountID + ":root because no identity-based policy allows the gatehouse:" + op + " action"
		if msg != want {
			t.Errorf("%s: message %q\nwant %q", op, msg, want)
		}
	}
	if p = h.ghOK(t, "GetPaymentPreferences", payer, `{}`); p["PreferredCurrency"] != "GBP" {
		t.Errorf("after denied put %v", p)
	}
}
