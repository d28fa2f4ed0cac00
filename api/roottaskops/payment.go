package roottaskops

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// The payment currency preference and billing preferences
// (docs/root-tasks.md): not root-only, authorized as
// payments:ListPaymentPreferences / payments:UpdatePaymentPreferences
// through the billing access switch and permission model (see payments).

func (d Deps) getPaymentPreferences() op.Row {
	return payments("GetPaymentPreferences", "payments:ListPaymentPreferences", func(c *op.Call, _ *op.Empty) (any, error) {
		p, err := d.RootTasks.PaymentPreferences(c.Ctx, c.Account())
		if err != nil {
			return nil, err
		}
		return paymentPreferences(p), nil
	})
}

func (d Deps) putPaymentPreferences() op.Row {
	return payments("PutPaymentPreferences", "payments:UpdatePaymentPreferences", func(c *op.Call, in *putPaymentPreferencesIn) (any, error) {
		p, err := d.RootTasks.UpdatePaymentPreferences(c.Ctx, c.Account(), roottask.PaymentPreferencesUpdate{
			Currency: in.PreferredCurrency, InvoiceByEmail: in.InvoiceDeliveryByEmail, CreditSharing: in.CreditSharing})
		if err != nil {
			return nil, err
		}
		return paymentPreferences(p), nil
	})
}

// payments is a payment-preferences row on the gatehouse service. AWS
// authorizes payment preferences with the billing family's payments:
// actions (aws-reference §1.2 A1, §3.2), not root-only ones, so these rows
// go through the billing access switch and the account's billing
// permission model like the other billing operations. The actions have
// no resource types, so the resource is "*".
func payments[In any](name, action string, handle func(c *op.Call, in *In) (any, error)) op.Row {
	return op.New(name, op.Spec[In]{Action: action, Billing: authz.BillingGated, Handle: handle})
}

func paymentPreferences(p *gatehouse.PaymentPreferences) paymentPreferencesOut {
	out := paymentPreferencesOut{PreferredCurrency: p.Currency, InvoiceDeliveryByEmail: p.InvoiceByEmail, CreditSharing: p.CreditSharing}
	if !p.UpdatedAt.IsZero() {
		out.LastUpdatedAt = p.UpdatedAt.UTC().Format(time.RFC3339)
	}
	return out
}
