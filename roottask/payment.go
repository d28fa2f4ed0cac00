package roottask

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// Payment currency and billing preferences: not root-only (the Billing
// console's "Payment preferences" and "Billing preferences"), served here
// beside the other console-only account tasks.

// PaymentPreferencesUpdate changes the preferences whose fields are set.
type PaymentPreferencesUpdate struct {
	Currency       *string
	InvoiceByEmail *bool
	CreditSharing  *bool
}

// PaymentPreferences returns the account's preferences, the defaults when
// it has set none.
func (s *Service) PaymentPreferences(ctx context.Context, accountID string) (*gatehouse.PaymentPreferences, error) {
	var p *gatehouse.PaymentPreferences
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		p, err = paymentPreferences(tx, accountID)
		return err
	})
	return p, err
}

func paymentPreferences(tx Tx, accountID string) (*gatehouse.PaymentPreferences, error) {
	p, err := tx.PaymentPreferences(accountID)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return gatehouse.DefaultPaymentPreferences(accountID), nil
	}
	return p, err
}

// UpdatePaymentPreferences validates and applies u, returning the
// account's preferences after it.
func (s *Service) UpdatePaymentPreferences(ctx context.Context, accountID string, u PaymentPreferencesUpdate) (*gatehouse.PaymentPreferences, error) {
	if u.Currency != nil && !gatehouse.ValidPaymentCurrency(*u.Currency) {
		return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "The value of PreferredCurrency must be one of %s.",
			strings.Join(gatehouse.PaymentCurrencies, ", "))
	}
	var p *gatehouse.PaymentPreferences
	err := s.Store.Update(ctx, func(tx Tx) error {
		var err error
		if p, err = paymentPreferences(tx, accountID); err != nil {
			return err
		}
		if u.Currency != nil {
			p.Currency = *u.Currency
		}
		if u.InvoiceByEmail != nil {
			p.InvoiceByEmail = *u.InvoiceByEmail
		}
		if u.CreditSharing != nil {
			p.CreditSharing = *u.CreditSharing
		}
		p.UpdatedAt = s.now()
		return tx.PutPaymentPreferences(p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
