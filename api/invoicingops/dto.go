package invoicingops

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// epochTime is a JSON 1.0 timestamp: epoch seconds, as a number.
type epochTime struct{ time.Time }

// MarshalJSON writes epoch seconds, to the millisecond.
func (e epochTime) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(e.UnixMilli())/1000, 'f', -1, 64)), nil
}

// UnmarshalJSON reads epoch seconds.
func (e *epochTime) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return errors.New("timestamp is not a number of seconds")
	}
	e.Time = time.UnixMilli(int64(f * 1000)).UTC()
	return nil
}

func epoch(t time.Time) *epochTime {
	if t.IsZero() {
		return nil
	}
	return &epochTime{t.UTC()}
}

// Wire shapes of the Invoicing API (the model's members only).
type (
	invoiceSummariesSelectorIn struct {
		ResourceType string
		Value        string
	}
	dateIntervalIn struct {
		StartDate *epochTime
		EndDate   *epochTime
	}
	billingPeriodDTO struct {
		Month *int `json:"Month,omitempty"`
		Year  *int `json:"Year,omitempty"`
	}
	invoiceSummariesFilterIn struct {
		TimeInterval    *dateIntervalIn
		BillingPeriod   *billingPeriodDTO
		InvoicingEntity string
		ReceiverRole    string
	}
	listInvoiceSummariesIn struct {
		Selector   *invoiceSummariesSelectorIn
		Filter     *invoiceSummariesFilterIn
		NextToken  *string
		MaxResults *int
	}
	entityDTO struct {
		InvoicingEntity string `json:"InvoicingEntity"`
	}
	currencyAmountDTO struct {
		TotalAmount  string `json:"TotalAmount"`
		CurrencyCode string `json:"CurrencyCode"`
	}
	invoiceSummaryDTO struct {
		AccountId             string             `json:"AccountId"`
		InvoiceId             string             `json:"InvoiceId"`
		IssuedDate            *epochTime         `json:"IssuedDate,omitempty"`
		DueDate               *epochTime         `json:"DueDate,omitempty"`
		Entity                entityDTO          `json:"Entity"`
		BillingPeriod         billingPeriodDTO   `json:"BillingPeriod"`
		InvoiceType           string             `json:"InvoiceType"`
		BaseCurrencyAmount    *currencyAmountDTO `json:"BaseCurrencyAmount,omitempty"`
		PaymentCurrencyAmount *currencyAmountDTO `json:"PaymentCurrencyAmount,omitempty"`
	}
	listInvoiceSummariesOut struct {
		InvoiceSummaries []invoiceSummaryDTO `json:"InvoiceSummaries"`
		NextToken        string              `json:"NextToken,omitempty"`
	}
	getInvoicePDFIn struct {
		InvoiceId string
	}
	supplementalDocumentDTO struct {
		DocumentType string `json:"DocumentType"`
		DocumentId   string `json:"DocumentId"`
	}
	invoicePDFDTO struct {
		InvoiceId                 string                    `json:"InvoiceId"`
		DocumentUrl               string                    `json:"DocumentUrl"`
		DocumentUrlExpirationDate *epochTime                `json:"DocumentUrlExpirationDate"`
		SupplementalDocuments     []supplementalDocumentDTO `json:"SupplementalDocuments"`
	}
	getInvoicePDFOut struct {
		InvoicePDF invoicePDFDTO `json:"InvoicePDF"`
	}
)

// toSummary is the wire summary of an invoice.
func toSummary(inv *gatehouse.Invoice) invoiceSummaryDTO {
	amount := &currencyAmountDTO{TotalAmount: inv.TotalAmount, CurrencyCode: inv.Currency}
	y, m := inv.BillingPeriod.Year, inv.BillingPeriod.Month
	return invoiceSummaryDTO{
		AccountId: inv.AccountID, InvoiceId: inv.InvoiceID,
		IssuedDate: epoch(inv.IssuedDate), DueDate: epoch(inv.DueDate),
		Entity:        entityDTO{InvoicingEntity: inv.InvoicingEntity},
		BillingPeriod: billingPeriodDTO{Month: &m, Year: &y},
		InvoiceType:   inv.Type, BaseCurrencyAmount: amount, PaymentCurrencyAmount: amount,
	}
}

// validation is a ValidationException on one member.
func validation(reason, member, constraint string, value any) error {
	v := "null"
	if value != nil {
		v = "'" + strings.Trim(strings.ReplaceAll(jsonString(value), `"`, ``), " ") + "'"
	}
	msg := "1 validation error detected: Value " + v + " at '" + member + "' failed to satisfy constraint: " + constraint
	return &gatehouse.ValidationError{
		Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "%s", msg),
		Reason: reason,
		Fields: []gatehouse.FieldError{{Name: member, Message: constraint}},
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func valueOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
