package gatehouse

import (
	"fmt"
	"regexp"
	"time"
)

// Invoicing entities: the Amazon companies that issue invoices
// (aws-reference §1.2 B3).
const (
	EntityAWSInc   = "Amazon Web Services, Inc."
	EntityAWSEMEA  = "Amazon Web Services EMEA SARL"
	EntityAWSAISPL = "Amazon Internet Services Private Limited"
)

// Invoice types.
const (
	InvoiceTypeInvoice    = "INVOICE"
	InvoiceTypeCreditMemo = "CREDIT_MEMO"
)

// BillingPeriod is the month an invoice bills.
type BillingPeriod struct {
	Year  int
	Month int
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	Description string
	Amount      string
}

// Invoice is an invoice issued to an account. Gatehouse charges nothing:
// invoices come from an operator import (gatehouse billing import).
type Invoice struct {
	AccountID       string
	InvoiceID       string
	BillingPeriod   BillingPeriod
	IssuedDate      time.Time
	DueDate         time.Time
	InvoicingEntity string
	// Type is InvoiceTypeInvoice or InvoiceTypeCreditMemo.
	Type string
	// TaxInvoice marks a tax (VAT) invoice: those of AWS Inc. and AISPL
	// can be downloaded by the root user only (aws-reference §1.2 B3).
	TaxInvoice  bool
	Currency    string
	TotalAmount string
	Lines       []InvoiceLine
}

// RootOnlyDocument reports whether only the root user may download the
// invoice's document: the tax invoices of AWS Inc. and AISPL.
func (i *Invoice) RootOnlyDocument() bool {
	return i.TaxInvoice && (i.InvoicingEntity == EntityAWSInc || i.InvoicingEntity == EntityAWSAISPL)
}

var (
	invoiceIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	amountPattern    = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	currencyPattern  = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Validate checks an invoice before it is stored (CodeInvalidInput).
func (i *Invoice) Validate() error {
	bad := func(f string, a ...any) error {
		return Errorf(CodeInvalidInput, "invoice %s: "+f, append([]any{i.InvoiceID}, a...)...)
	}
	switch {
	case !invoiceIDPattern.MatchString(i.InvoiceID):
		return Errorf(CodeInvalidInput, "invoice ID %q must be 1 to 64 letters, digits, '-' or '_'", i.InvoiceID)
	case len(i.AccountID) != 12:
		return bad("account ID %q is not 12 digits", i.AccountID)
	case i.BillingPeriod.Year < 2005 || i.BillingPeriod.Year > 2050 || i.BillingPeriod.Month < 1 || i.BillingPeriod.Month > 12:
		return bad("billing period %d-%d is out of range", i.BillingPeriod.Year, i.BillingPeriod.Month)
	case i.IssuedDate.IsZero():
		return bad("IssuedDate is missing")
	case i.InvoicingEntity != EntityAWSInc && i.InvoicingEntity != EntityAWSEMEA && i.InvoicingEntity != EntityAWSAISPL:
		return bad("unknown invoicing entity %q", i.InvoicingEntity)
	case i.Type != InvoiceTypeInvoice && i.Type != InvoiceTypeCreditMemo:
		return bad("Type %q must be INVOICE or CREDIT_MEMO", i.Type)
	case !currencyPattern.MatchString(i.Currency):
		return bad("Currency %q is not a 3-letter code", i.Currency)
	case !amountPattern.MatchString(i.TotalAmount):
		return bad("TotalAmount %q is not a decimal number", i.TotalAmount)
	}
	for n, l := range i.Lines {
		if !amountPattern.MatchString(l.Amount) {
			return bad("line %d: Amount %q is not a decimal number", n+1, l.Amount)
		}
	}
	return nil
}

// String names the invoice in messages.
func (i *Invoice) String() string { return fmt.Sprintf("%s/%s", i.AccountID, i.InvoiceID) }

// InvoiceTx covers invoices.
type InvoiceTx interface {
	// PutInvoice creates or replaces an invoice (by account and ID).
	PutInvoice(i *Invoice) error
	// Invoice returns CodeNotFound for an unknown invoice.
	Invoice(accountID, invoiceID string) (*Invoice, error)
	// Invoices lists an account's invoices, newest issued first (then by
	// ID).
	Invoices(accountID string) ([]*Invoice, error)
}
