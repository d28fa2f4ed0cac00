package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// TestInvoiceDocumentsOfBefore: documents written when the domain
// Invoice carried the JSON tags itself read into the same invoice, and
// an invoice is still written as the same bytes (no migration).
func TestInvoiceDocumentsOfBefore(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want *gatehouse.Invoice
	}{
		{"with lines",
			`{"AccountId":"111122223333","InvoiceId":"INV-1","BillingPeriod":{"Year":2025,"Month":2},"IssuedDate":"2025-03-01T00:00:00Z","DueDate":"2025-03-31T00:00:00Z","InvoicingEntity":"Amazon Web Services EMEA SARL","Type":"INVOICE","TaxInvoice":true,"Currency":"EUR","TotalAmount":"12.34","Lines":[{"Description":"Amazon EC2","Amount":"12.34"}]}`,
			&gatehouse.Invoice{AccountID: "111122223333", InvoiceID: "INV-1", BillingPeriod: gatehouse.BillingPeriod{Year: 2025, Month: 2},
				IssuedDate: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC),
				InvoicingEntity: gatehouse.EntityAWSEMEA, Type: gatehouse.InvoiceTypeInvoice, TaxInvoice: true, Currency: "EUR", TotalAmount: "12.34",
				Lines: []gatehouse.InvoiceLine{{Description: "Amazon EC2", Amount: "12.34"}}}},
		{"no lines, no due date",
			`{"AccountId":"111122223333","InvoiceId":"CM-2","BillingPeriod":{"Year":2024,"Month":12},"IssuedDate":"2025-01-02T03:04:05Z","DueDate":"0001-01-01T00:00:00Z","InvoicingEntity":"Amazon Web Services, Inc.","Type":"CREDIT_MEMO","TaxInvoice":false,"Currency":"USD","TotalAmount":"-1.5"}`,
			&gatehouse.Invoice{AccountID: "111122223333", InvoiceID: "CM-2", BillingPeriod: gatehouse.BillingPeriod{Year: 2024, Month: 12},
				IssuedDate: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), DueDate: time.Time{}.UTC(),
				InvoicingEntity: gatehouse.EntityAWSInc, Type: gatehouse.InvoiceTypeCreditMemo, Currency: "USD", TotalAmount: "-1.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeInvoice([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %+v\nwant %+v", got, tt.want)
			}
			b, err := json.Marshal(toInvoiceDoc(tt.want))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.doc {
				t.Errorf("encoded %s\nwant    %s", b, tt.doc)
			}
		})
	}
}
