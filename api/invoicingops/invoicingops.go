// Package invoicingops is the AWS Invoicing operation table (invoicing 2024-12-01, JSON 1.0): wire DTOs and the op.Spec rows of ListInvoiceSummaries and GetInvoicePDF.
package invoicingops

import (
	"errors"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/invoicing"
)

// Protocol constants of the Invoicing API: POST / with X-Amz-Target:
// Invoicing.<Op> and a JSON body; errors are {"__type":
// "com.amazonaws.invoicing#<Code>", "message": ...} (plus reason and
// fieldList for ValidationException).
const (
	TargetPrefix = "Invoicing"
	ErrorNS      = "com.amazonaws.invoicing#"
)

// Deps is what the Invoicing operations reach.
type Deps struct {
	Invoicing *invoicing.Service
}

// row builds a row of the table. Every operation is a billing
// operation: the IAM billing access switch, the account's billing
// permission model and, for GetInvoicePDF, the invoice entity rule
// (authz.Authorizer.InvoiceDocument) decide it.
func row[In any](name string, handle func(c *op.Call, in *In) (any, error)) op.Row {
	return op.New(name, op.Spec[In]{Action: "invoicing:" + name, Billing: authz.BillingGated, Handle: handle})
}

// Rows returns the Invoicing operation table.
func Rows(d Deps) []op.Row {
	return []op.Row{
		row("ListInvoiceSummaries", d.listInvoiceSummaries),
		row("GetInvoicePDF", d.getInvoicePDF),
	}
}

func (d Deps) listInvoiceSummaries(c *op.Call, in *listInvoiceSummariesIn) (any, error) {
	if in.Selector == nil {
		return nil, validation("fieldValidationFailed", "selector", "Member must not be null", nil)
	}
	switch in.Selector.ResourceType {
	case "ACCOUNT_ID", "INVOICE_ID":
	default:
		return nil, validation("fieldValidationFailed", "selector.resourceType",
			"Member must satisfy enum value set: [ACCOUNT_ID, INVOICE_ID]", in.Selector.ResourceType)
	}
	max := 100
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 100 {
			return nil, validation("fieldValidationFailed", "maxResults",
				"Member must have value between 1 and 100", *in.MaxResults)
		}
		max = *in.MaxResults
	}
	var filter invoicing.Filter
	if in.Selector.ResourceType == "INVOICE_ID" {
		filter.InvoiceID = &in.Selector.Value
	}
	if f := in.Filter; f != nil {
		if bp := f.BillingPeriod; bp != nil {
			if bp.Month == nil || *bp.Month < 1 || *bp.Month > 12 {
				return nil, validation("fieldValidationFailed", "filter.billingPeriod.month", "Member must have value between 1 and 12", valueOrNil(bp.Month))
			}
			if bp.Year == nil || *bp.Year < 2005 || *bp.Year > 2050 {
				return nil, validation("fieldValidationFailed", "filter.billingPeriod.year", "Member must have value between 2005 and 2050", valueOrNil(bp.Year))
			}
			filter.Period = &gatehouse.BillingPeriod{Year: *bp.Year, Month: *bp.Month}
		}
		if ti := f.TimeInterval; ti != nil {
			if ti.StartDate == nil || ti.EndDate == nil {
				return nil, validation("fieldValidationFailed", "filter.timeInterval", "StartDate and EndDate are required", nil)
			}
			filter.Issued = &invoicing.Interval{Start: ti.StartDate.Time, End: ti.EndDate.Time}
		}
		switch f.ReceiverRole {
		case "", "SELLER", "RESELLER", "BUYER":
		default:
			return nil, validation("fieldValidationFailed", "filter.receiverRole",
				"Member must satisfy enum value set: [SELLER, RESELLER, BUYER]", f.ReceiverRole)
		}
		filter.Entity, filter.ReceiverRole = f.InvoicingEntity, f.ReceiverRole
	}
	if in.Selector.ResourceType == "ACCOUNT_ID" {
		if err := authz.InvoiceAccount(c.Caller, in.Selector.Value); err != nil {
			return nil, err
		}
	}
	page, err := d.Invoicing.List(c.Ctx, c.Account(), filter, in.NextToken, max)
	if errors.Is(err, invoicing.ErrBadToken) {
		return nil, validation("invalidNextToken", "nextToken", "Member must be a token returned by an earlier call", nil)
	}
	if err != nil {
		return nil, err
	}
	out := listInvoiceSummariesOut{InvoiceSummaries: []invoiceSummaryDTO{}, NextToken: page.Next}
	for _, inv := range page.Invoices {
		out.InvoiceSummaries = append(out.InvoiceSummaries, toSummary(inv))
	}
	return out, nil
}

func (d Deps) getInvoicePDF(c *op.Call, in *getInvoicePDFIn) (any, error) {
	if in.InvoiceId == "" {
		return nil, validation("fieldValidationFailed", "invoiceId", "Member must not be null", nil)
	}
	inv, err := d.Invoicing.Invoice(c.Ctx, c.Account(), in.InvoiceId)
	if err != nil {
		return nil, err
	}
	if err := c.Authz.InvoiceDocument(c.Ctx, c.Caller, inv); err != nil {
		return nil, err
	}
	url, expires := d.Invoicing.DocumentURL(c.BaseURL, inv, c.Now())
	return getInvoicePDFOut{InvoicePDF: invoicePDFDTO{
		InvoiceId:                 inv.InvoiceID,
		DocumentUrl:               url,
		DocumentUrlExpirationDate: epoch(expires),
		SupplementalDocuments:     []supplementalDocumentDTO{},
	}}, nil
}
