package api

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// Rows of the gatehouse service for the payment currency preference and
// billing preferences (docs/root-tasks.md): not root-only, authorized as
// payments:ListPaymentPreferences / payments:UpdatePaymentPreferences
// through the billing access switch and permission model (see paymentsOp).

type (
	putPaymentPreferencesIn struct {
		PreferredCurrency      *string
		InvoiceDeliveryByEmail *bool
		CreditSharing          *bool
	}
	paymentPreferencesOut struct {
		PreferredCurrency      string `json:"PreferredCurrency"`
		InvoiceDeliveryByEmail bool   `json:"InvoiceDeliveryByEmail"`
		CreditSharing          bool   `json:"CreditSharing"`
		LastUpdatedAt          string `json:"LastUpdatedAt,omitempty"`
	}
)

func paymentPreferences(p *gatehouse.PaymentPreferences) paymentPreferencesOut {
	out := paymentPreferencesOut{PreferredCurrency: p.Currency, InvoiceDeliveryByEmail: p.InvoiceByEmail, CreditSharing: p.CreditSharing}
	if !p.UpdatedAt.IsZero() {
		out.LastUpdatedAt = p.UpdatedAt.UTC().Format(time.RFC3339)
	}
	return out
}

// paymentOperations are the payment preference rows.
func paymentOperations() []operation {
	return []operation{
		paymentsOp("GetPaymentPreferences", "payments:ListPaymentPreferences", opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				p, err := c.srv.RootTasks.PaymentPreferences(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return paymentPreferences(p), nil
			},
		}),
		paymentsOp("PutPaymentPreferences", "payments:UpdatePaymentPreferences", opSpec[putPaymentPreferencesIn]{
			handle: func(c *call, in *putPaymentPreferencesIn) (any, error) {
				p, err := c.srv.RootTasks.UpdatePaymentPreferences(c.ctx, c.account(), roottask.PaymentPreferencesUpdate{
					Currency: in.PreferredCurrency, InvoiceByEmail: in.InvoiceDeliveryByEmail, CreditSharing: in.CreditSharing})
				if err != nil {
					return nil, err
				}
				return paymentPreferences(p), nil
			},
		}),
	}
}

// paymentsOp is a payment-preferences row on the gatehouse service. AWS
// authorizes payment preferences with the billing family's payments:
// actions (aws-reference §1.2 A1, §3.2), not root-only ones, so these rows
// go through the billing access switch and the account's billing
// permission model like the other billing operations. The actions have
// no resource types, so the resource is "*".
func paymentsOp[In any](name, action string, spec opSpec[In]) operation {
	spec.action = action
	spec.billing = authz.BillingGated
	return legacyOp(name, spec)
}
