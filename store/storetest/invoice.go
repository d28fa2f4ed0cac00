package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

func newInvoice(account, id string, issued int) *gatehouse.Invoice {
	return &gatehouse.Invoice{
		AccountID: account, InvoiceID: id,
		BillingPeriod:   gatehouse.BillingPeriod{Year: 2025, Month: 2},
		IssuedDate:      at(issued),
		DueDate:         at(issued + 30),
		InvoicingEntity: gatehouse.EntityAWSEMEA,
		Type:            gatehouse.InvoiceTypeInvoice,
		TaxInvoice:      true,
		Currency:        "EUR",
		TotalAmount:     "12.34",
		Lines:           []gatehouse.InvoiceLine{{Description: "Amazon EC2", Amount: "12.34"}},
	}
}

func invoiceIDs(is []*gatehouse.Invoice) []string {
	out := []string{}
	for _, i := range is {
		out = append(out, i.InvoiceID)
	}
	return out
}

func invoiceTests() []test {
	return []test{
		{"RoundTrip", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			want := newInvoice(acct1, "EU-1", 5)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutInvoice(want) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				got, err := tx.Invoice(acct1, "EU-1")
				if err != nil {
					return err
				}
				wantEqual(t, "invoice", *got, *want)
				return nil
			})
		}},
		{"ReplaceAndList", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error {
				for _, i := range []*gatehouse.Invoice{newInvoice(acct1, "B", 5), newInvoice(acct1, "A", 5),
					newInvoice(acct1, "C", 9), newInvoice(acct2, "D", 1)} {
					if err := tx.PutInvoice(i); err != nil {
						return err
					}
				}
				return nil
			})
			replaced := newInvoice(acct1, "A", 1)
			replaced.TotalAmount = "99.00"
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutInvoice(replaced) })
			mustView(t, s, func(tx gatehouse.Tx) error {
				all, err := tx.Invoices(acct1)
				if err != nil {
					return err
				}
				wantEqual(t, "ids", invoiceIDs(all), []string{"C", "B", "A"})
				if all[2].TotalAmount != "99.00" {
					t.Errorf("replaced invoice amount %s", all[2].TotalAmount)
				}
				other, err := tx.Invoices(acct2)
				if err != nil {
					return err
				}
				wantEqual(t, "other ids", invoiceIDs(other), []string{"D"})
				none, err := tx.Invoices("999999999999")
				if err != nil {
					return err
				}
				wantEqual(t, "no ids", invoiceIDs(none), []string{})
				return nil
			})
		}},
		{"Unknown", func(t *testing.T, s gatehouse.Store) {
			seedAccounts(t, s)
			mustUpdate(t, s, func(tx gatehouse.Tx) error { return tx.PutInvoice(newInvoice(acct2, "X", 1)) })
			err := s.View(t.Context(), func(tx gatehouse.Tx) error {
				_, err := tx.Invoice(acct1, "X")
				return err
			})
			wantCode(t, err, gatehouse.CodeNotFound)
		}},
	}
}

var _ = time.Time{}
