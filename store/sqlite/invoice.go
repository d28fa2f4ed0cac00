package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// invoiceDoc is the JSON document an invoice is stored as (column doc).
// Its keys are those documents have always had: changing one needs a
// migration.
type invoiceDoc struct {
	AccountID     string `json:"AccountId"`
	InvoiceID     string `json:"InvoiceId"`
	BillingPeriod struct {
		Year  int `json:"Year"`
		Month int `json:"Month"`
	} `json:"BillingPeriod"`
	IssuedDate      time.Time        `json:"IssuedDate"`
	DueDate         time.Time        `json:"DueDate"`
	InvoicingEntity string           `json:"InvoicingEntity"`
	Type            string           `json:"Type"`
	TaxInvoice      bool             `json:"TaxInvoice"`
	Currency        string           `json:"Currency"`
	TotalAmount     string           `json:"TotalAmount"`
	Lines           []invoiceLineDoc `json:"Lines,omitempty"`
}

type invoiceLineDoc struct {
	Description string `json:"Description"`
	Amount      string `json:"Amount"`
}

func toInvoiceDoc(i *gatehouse.Invoice) *invoiceDoc {
	d := &invoiceDoc{AccountID: i.AccountID, InvoiceID: i.InvoiceID, IssuedDate: i.IssuedDate, DueDate: i.DueDate,
		InvoicingEntity: i.InvoicingEntity, Type: i.Type, TaxInvoice: i.TaxInvoice, Currency: i.Currency, TotalAmount: i.TotalAmount}
	d.BillingPeriod.Year, d.BillingPeriod.Month = i.BillingPeriod.Year, i.BillingPeriod.Month
	for _, l := range i.Lines {
		d.Lines = append(d.Lines, invoiceLineDoc(l))
	}
	return d
}

func (d *invoiceDoc) invoice() *gatehouse.Invoice {
	i := &gatehouse.Invoice{AccountID: d.AccountID, InvoiceID: d.InvoiceID,
		BillingPeriod: gatehouse.BillingPeriod{Year: d.BillingPeriod.Year, Month: d.BillingPeriod.Month},
		IssuedDate:    d.IssuedDate.UTC(), DueDate: d.DueDate.UTC(), InvoicingEntity: d.InvoicingEntity, Type: d.Type,
		TaxInvoice: d.TaxInvoice, Currency: d.Currency, TotalAmount: d.TotalAmount}
	for _, l := range d.Lines {
		i.Lines = append(i.Lines, gatehouse.InvoiceLine(l))
	}
	return i
}

// decodeInvoice reads a stored invoice document.
func decodeInvoice(doc []byte) (*gatehouse.Invoice, error) {
	var d invoiceDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("decode invoice: %w", err)
	}
	return d.invoice(), nil
}

func scanInvoice(row scanner) (*gatehouse.Invoice, error) {
	var doc string
	if err := row.Scan(&doc); err != nil {
		return nil, err
	}
	return decodeInvoice([]byte(doc))
}

// PutInvoice creates or replaces an invoice.
func (t *tx) PutInvoice(i *gatehouse.Invoice) error {
	doc, err := json.Marshal(toInvoiceDoc(i))
	if err != nil {
		return fmt.Errorf("encode invoice: %w", err)
	}
	_, err = t.exec(`INSERT INTO invoices (account_id, invoice_id, issued_at, doc) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, invoice_id) DO UPDATE SET issued_at = excluded.issued_at, doc = excluded.doc`,
		i.AccountID, i.InvoiceID, encodeTime(i.IssuedDate), string(doc))
	if err != nil {
		return fmt.Errorf("put invoice %s: %w", i, err)
	}
	return nil
}

// Invoice returns one invoice of an account.
func (t *tx) Invoice(accountID, invoiceID string) (*gatehouse.Invoice, error) {
	i, err := scanInvoice(t.queryRow(`SELECT doc FROM invoices WHERE account_id = ? AND invoice_id = ?`, accountID, invoiceID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Invoice %s cannot be found.", invoiceID)
	}
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", invoiceID, err)
	}
	return i, nil
}

// Invoices lists an account's invoices, newest issued first.
func (t *tx) Invoices(accountID string) ([]*gatehouse.Invoice, error) {
	rows, err := t.query(`SELECT doc FROM invoices WHERE account_id = ? ORDER BY issued_at DESC, invoice_id`, accountID)
	out, err := collect(rows, err, scanInvoice)
	if err != nil {
		return nil, fmt.Errorf("invoices: %w", err)
	}
	return out, nil
}
