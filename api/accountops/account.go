package accountops

import (
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// The account's own information: GetAccountInformation, PutAccountName.

func (d Deps) getAccountInformation() op.Row {
	return row("GetAccountInformation", idOf, op.Spec[accountIDIn]{
		Billing: authz.BillingModel,
		Handle: func(c *op.Call, _ *accountIDIn) (any, error) {
			a, err := d.Account.AccountInformation(c.Ctx, c.Account())
			if err != nil {
				return nil, err
			}
			return accountInformationOut{a.ID, a.AccountName(), a.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), "ACTIVE"}, nil
		},
	})
}

func (d Deps) putAccountName() op.Row {
	return row("PutAccountName", func(in *putAccountNameIn) string { return in.AccountId }, op.Spec[putAccountNameIn]{
		Handle: func(c *op.Call, in *putAccountNameIn) (any, error) {
			return nil, d.Account.PutAccountName(c.Ctx, c.Account(), in.AccountName)
		},
	})
}
