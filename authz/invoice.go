package authz

import (
	"context"

	"github.com/gatehouse-dev/gatehouse"
)

// InvoiceDocument decides whether the caller, allowed
// invoicing:GetInvoicePDF by policy, may download the invoice's
// document. The tax invoices of AWS Inc. and AISPL are root-only
// (aws-reference §1.2 B3): a root rule, not a policy, so an IAM
// principal's denial corrects the audit record's decision to the
// explicit deny. Root downloads these in the console: a root sign-in.
func (a *Authorizer) InvoiceDocument(ctx context.Context, c *Caller, inv *gatehouse.Invoice) error {
	if !inv.RootOnlyDocument() {
		return nil
	}
	resource := ""
	if rec := gatehouse.AuditFrom(ctx); rec != nil {
		resource = rec.Resource
	}
	if !c.IsRoot() {
		return deny(ctx, resource, invoiceEntityMessage(c.ARN(), inv))
	}
	return a.RequireConsoleSignIn(ctx, c, "invoicing:GetInvoicePDF", resource)
}

// invoiceEntityMessage words the denial of a root-only tax invoice
// (aws-reference §1.2 B3).
func invoiceEntityMessage(principalARN string, inv *gatehouse.Invoice) string {
	return "User: " + principalARN + " is not authorized to download invoice " + inv.InvoiceID +
		" because tax invoices issued by " + inv.InvoicingEntity + " can be downloaded by the account's root user only"
}

// InvoiceAccount decides whether the caller may list the invoices of
// accountID: Gatehouse has no organizations, so an account sees its own
// invoices only.
func InvoiceAccount(c *Caller, accountID string) error {
	if accountID == c.Account.ID {
		return nil
	}
	return gatehouse.Errorf(gatehouse.CodeDenied, "User: %s is not authorized to list the invoices of account %s",
		c.ARN(), accountID)
}
