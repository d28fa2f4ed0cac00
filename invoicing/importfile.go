package invoicing

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// ImportInvoice is one invoice of an import file (gatehouse billing
// import FILE.json, a JSON array of these).
type ImportInvoice struct {
	AccountID       string              `json:"AccountId"`
	InvoiceID       string              `json:"InvoiceId"`
	BillingPeriod   ImportBillingPeriod `json:"BillingPeriod"`
	IssuedDate      time.Time           `json:"IssuedDate"`
	DueDate         time.Time           `json:"DueDate"`
	InvoicingEntity string              `json:"InvoicingEntity"`
	Type            string              `json:"Type"`
	TaxInvoice      bool                `json:"TaxInvoice"`
	Currency        string              `json:"Currency"`
	TotalAmount     string              `json:"TotalAmount"`
	Lines           []ImportLine        `json:"Lines,omitempty"`
}

// ImportBillingPeriod is the billing period of an imported invoice.
type ImportBillingPeriod struct {
	Year  int `json:"Year"`
	Month int `json:"Month"`
}

// ImportLine is one line of an imported invoice.
type ImportLine struct {
	Description string `json:"Description"`
	Amount      string `json:"Amount"`
}

// Invoice is the domain invoice the import entry describes.
func (i *ImportInvoice) Invoice() *gatehouse.Invoice {
	inv := &gatehouse.Invoice{
		AccountID: i.AccountID, InvoiceID: i.InvoiceID,
		BillingPeriod: gatehouse.BillingPeriod{Year: i.BillingPeriod.Year, Month: i.BillingPeriod.Month},
		IssuedDate:    i.IssuedDate, DueDate: i.DueDate, InvoicingEntity: i.InvoicingEntity, Type: i.Type,
		TaxInvoice: i.TaxInvoice, Currency: i.Currency, TotalAmount: i.TotalAmount,
	}
	for _, l := range i.Lines {
		inv.Lines = append(inv.Lines, gatehouse.InvoiceLine{Description: l.Description, Amount: l.Amount})
	}
	return inv
}

// ParseImport decodes an import file: a JSON array of invoices, with no
// member the format does not define.
func ParseImport(raw []byte) ([]*gatehouse.Invoice, error) {
	var in []*ImportInvoice
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&in); err != nil {
		return nil, err
	}
	out := make([]*gatehouse.Invoice, len(in))
	for n, i := range in {
		if i == nil {
			i = &ImportInvoice{}
		}
		out[n] = i.Invoice()
	}
	return out, nil
}
