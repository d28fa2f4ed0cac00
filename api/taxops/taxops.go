// Package taxops is the Tax Settings operation table (taxsettings
// 2018-05-10): wire DTOs and the op.Spec rows of the registration
// operations of the caller's account.
package taxops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/tax"
)

// Deps is what the Tax Settings operations reach.
type Deps struct {
	Tax *tax.Service
}

// row builds a row of the table. Tax settings are billing console data:
// every row is authz.BillingGated (the IAM billing access switch, then
// the account's billing permission model), authorized as tax:<name> on
// "*", after the AccountId precheck.
func row[In any](name string, accountID func(*In) string, handle func(c *op.Call, in *In) (any, error)) op.Row {
	action := "tax:" + name
	return op.New(name, op.Spec[In]{
		Action:   action,
		Billing:  authz.BillingGated,
		Precheck: func(c *op.Call, in *In) error { return op.AccountID(c, action, accountID(in), true) },
		Handle:   handle,
	})
}

// Rows returns the Tax Settings operation table.
func Rows(d Deps) []op.Row {
	return []op.Row{
		row("PutTaxRegistration", func(in *putRegistrationIn) string { return in.AccountId }, d.put),
		row("GetTaxRegistration", func(in *getRegistrationIn) string { return in.AccountId }, d.get),
		row("ListTaxRegistrations", func(*listRegistrationsIn) string { return "" }, d.list),
	}
}

func (d Deps) put(c *op.Call, in *putRegistrationIn) (any, error) {
	if in.TaxRegistrationEntry == nil {
		return nil, tax.Invalid(tax.ReasonMissingInput, "taxRegistrationEntry", "taxRegistrationEntry is required.")
	}
	r := in.TaxRegistrationEntry.domain(c.Account())
	if err := d.Tax.Put(c.Ctx, r); err != nil {
		return nil, err
	}
	return putRegistrationOut{Status: r.Status}, nil
}

func (d Deps) get(c *op.Call, _ *getRegistrationIn) (any, error) {
	r, err := d.Tax.Registration(c.Ctx, c.Account())
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The account %s has no tax registration.", c.Account())
	}
	return getRegistrationOut{TaxRegistration: toRegistration(r)}, nil
}

func (d Deps) list(c *op.Call, in *listRegistrationsIn) (any, error) {
	if in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > 1000) {
		return nil, tax.Invalid(tax.ReasonInvalidField, "maxResults", "maxResults must be between 1 and 1000.")
	}
	if in.NextToken != "" { // one account: there is never a next page
		return nil, tax.Invalid("InvalidToken", "nextToken", "The nextToken is not valid.")
	}
	r, err := d.Tax.Registration(c.Ctx, c.Account())
	if err != nil {
		return nil, err
	}
	details := []accountDetails{}
	if r != nil {
		details = append(details, accountDetails{AccountId: c.Account(), TaxRegistration: toRegistrationWithJurisdiction(r)})
	}
	return listRegistrationsOut{AccountDetails: details}, nil
}
