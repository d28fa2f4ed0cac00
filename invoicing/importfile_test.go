package invoicing_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/invoicing"
)

func TestParseImport(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    []*gatehouse.Invoice
		wantErr bool
	}{
		{"empty", `[]`, []*gatehouse.Invoice{}, false},
		{"one invoice",
			`[{"InvoiceId": "INV-1", "BillingPeriod": {"Year": 2025, "Month": 2}, "IssuedDate": "2025-03-01T00:00:00+01:00",
			  "InvoicingEntity": "Amazon Web Services EMEA SARL", "Type": "INVOICE", "TaxInvoice": true, "Currency": "EUR",
			  "TotalAmount": "12.34", "Lines": [{"Description": "Amazon EC2", "Amount": "12.34"}]}]`,
			[]*gatehouse.Invoice{{InvoiceID: "INV-1", BillingPeriod: gatehouse.BillingPeriod{Year: 2025, Month: 2},
				IssuedDate:      time.Date(2025, 3, 1, 0, 0, 0, 0, time.FixedZone("", 3600)),
				InvoicingEntity: gatehouse.EntityAWSEMEA, Type: gatehouse.InvoiceTypeInvoice, TaxInvoice: true, Currency: "EUR",
				TotalAmount: "12.34", Lines: []gatehouse.InvoiceLine{{Description: "Amazon EC2", Amount: "12.34"}}}},
			false},
		{"account ID", `[{"AccountId": "111122223333", "InvoiceId": "A"}]`, []*gatehouse.Invoice{{AccountID: "111122223333", InvoiceID: "A"}}, false},
		{"unknown member", `[{"InvoiceId": "A", "Amount": "1"}]`, nil, true},
		{"not an array", `{"InvoiceId": "A"}`, nil, true},
		{"bad date", `[{"IssuedDate": "March"}]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := invoicing.ParseImport([]byte(tt.file))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseImport error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseImport = %+v, want %+v", got, tt.want)
			}
		})
	}
}
