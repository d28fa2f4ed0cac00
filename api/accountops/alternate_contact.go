package accountops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// The account's alternate contacts (billing, operations, security):
// GetAlternateContact, PutAlternateContact, DeleteAlternateContact. Each
// request carries the account:AlternateContactTypes condition key.

func (d Deps) getAlternateContact() op.Row {
	return row("GetAlternateContact", func(in *alternateContactTypeIn) string { return in.AccountId }, op.Spec[alternateContactTypeIn]{
		Billing: authz.BillingModel,
		Context: typeContext,
		Handle: func(c *op.Call, in *alternateContactTypeIn) (any, error) {
			ac, err := d.Account.AlternateContact(c.Ctx, c.Account(), gatehouse.AlternateContactType(in.AlternateContactType))
			if err != nil {
				return nil, err
			}
			return alternateContactOut{alternateContactDTO{Name: ac.Name, Title: ac.Title, EmailAddress: ac.EmailAddress,
				PhoneNumber: ac.PhoneNumber, AlternateContactType: string(ac.Type)}}, nil
		},
	})
}

func (d Deps) putAlternateContact() op.Row {
	return row("PutAlternateContact", func(in *putAlternateContactIn) string { return in.AccountId }, op.Spec[putAlternateContactIn]{
		Billing: authz.BillingModel,
		Context: func(_ *op.Call, in *putAlternateContactIn, ctx *policy.Context) {
			ctx.Set("account:AlternateContactTypes", in.AlternateContactType)
		},
		Handle: func(c *op.Call, in *putAlternateContactIn) (any, error) {
			return nil, d.Account.PutAlternateContact(c.Ctx, c.Account(), &gatehouse.AlternateContact{
				Type: gatehouse.AlternateContactType(in.AlternateContactType), Name: in.Name, Title: in.Title,
				EmailAddress: in.EmailAddress, PhoneNumber: in.PhoneNumber,
			})
		},
	})
}

func (d Deps) deleteAlternateContact() op.Row {
	return row("DeleteAlternateContact", func(in *alternateContactTypeIn) string { return in.AccountId }, op.Spec[alternateContactTypeIn]{
		Billing: authz.BillingModel,
		Context: typeContext,
		Handle: func(c *op.Call, in *alternateContactTypeIn) (any, error) {
			return nil, d.Account.DeleteAlternateContact(c.Ctx, c.Account(), gatehouse.AlternateContactType(in.AlternateContactType))
		},
	})
}

func typeContext(_ *op.Call, in *alternateContactTypeIn, ctx *policy.Context) {
	ctx.Set("account:AlternateContactTypes", in.AlternateContactType)
}
