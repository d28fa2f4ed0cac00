package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
)

func scanInvoice(row scanner) (*gatehouse.Invoice, error) {
	var doc string
	if err := row.Scan(&doc); err != nil {
		return nil, err
	}
	var i gatehouse.Invoice
	if err := json.Unmarshal([]byte(doc), &i); err != nil {
		return nil, fmt.Errorf("decode invoice: %w", err)
	}
	i.IssuedDate, i.DueDate = i.IssuedDate.UTC(), i.DueDate.UTC()
	return &i, nil
}

// PutInvoice creates or replaces an invoice.
func (t *tx) PutInvoice(i *gatehouse.Invoice) error {
	doc, err := json.Marshal(i)
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
		return nil, gatehouse.Errorf(gatehouse.ENoSuchEntity, "Invoice %s cannot be found.", invoiceID)
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
