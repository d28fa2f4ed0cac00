package gatehouse

import (
	"slices"
	"time"
)

// Payment preferences: the preferred payment currency and the billing
// preferences of the Billing console, which AWS offers without a published
// API model (served as the gatehouse service's Get/PutPaymentPreferences).

// PaymentCurrencies are the ISO 4217 codes AWS accepts as the preferred
// payment currency, sorted.
var PaymentCurrencies = []string{"AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "HKD", "INR", "JPY",
	"NOK", "NZD", "SEK", "SGD", "USD", "ZAR"}

// ValidPaymentCurrency reports whether code is one of PaymentCurrencies.
func ValidPaymentCurrency(code string) bool {
	_, ok := slices.BinarySearch(PaymentCurrencies, code)
	return ok
}

// PaymentPreferences are an account's payment currency and billing
// preferences.
type PaymentPreferences struct {
	AccountID string
	// Currency is the preferred payment currency (ISO 4217).
	Currency string
	// InvoiceByEmail is "receive PDF invoices by email".
	InvoiceByEmail bool
	// CreditSharing shares the account's credits with linked accounts.
	CreditSharing bool
	UpdatedAt     time.Time
}

// DefaultPaymentPreferences are an account's preferences until it changes
// them: US dollars, invoices by email, credit sharing on.
func DefaultPaymentPreferences(accountID string) *PaymentPreferences {
	return &PaymentPreferences{AccountID: accountID, Currency: "USD", InvoiceByEmail: true, CreditSharing: true}
}

// PaymentPreferencesTx covers payment preferences.
type PaymentPreferencesTx interface {
	// PutPaymentPreferences creates or replaces an account's preferences;
	// a zero UpdatedAt is set to the transaction's time.
	PutPaymentPreferences(p *PaymentPreferences) error
	// PaymentPreferences returns CodeNotFound when the account has set
	// none.
	PaymentPreferences(accountID string) (*PaymentPreferences, error)
}
