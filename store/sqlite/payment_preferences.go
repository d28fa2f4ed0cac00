package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

// Payment preferences (migration 0010).

// PutPaymentPreferences creates or replaces an account's preferences.
func (t *tx) PutPaymentPreferences(p *gatehouse.PaymentPreferences) error {
	p.UpdatedAt = t.stamp(p.UpdatedAt)
	_, err := t.exec(`INSERT INTO payment_preferences (account_id, currency, invoice_by_email, credit_sharing, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET currency = excluded.currency,
		invoice_by_email = excluded.invoice_by_email, credit_sharing = excluded.credit_sharing, updated_at = excluded.updated_at`,
		p.AccountID, p.Currency, p.InvoiceByEmail, p.CreditSharing, encodeTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put payment preferences: %w", err)
	}
	return nil
}

// PaymentPreferences returns an account's preferences.
func (t *tx) PaymentPreferences(accountID string) (*gatehouse.PaymentPreferences, error) {
	p := gatehouse.PaymentPreferences{AccountID: accountID}
	var updated sql.NullInt64
	err := t.queryRow(`SELECT currency, invoice_by_email, credit_sharing, updated_at FROM payment_preferences WHERE account_id = ?`,
		accountID).Scan(&p.Currency, &p.InvoiceByEmail, &p.CreditSharing, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuch("payment preferences of account", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("payment preferences: %w", err)
	}
	p.UpdatedAt = decodeTime(updated)
	return &p, nil
}
