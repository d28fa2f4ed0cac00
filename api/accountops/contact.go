package accountops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/authz"
)

// The account's contact information: GetContactInformation,
// PutContactInformation.

func (d Deps) getContactInformation() op.Row {
	return row("GetContactInformation", idOf, op.Spec[accountIDIn]{
		Billing: authz.BillingModel,
		Handle: func(c *op.Call, _ *accountIDIn) (any, error) {
			ci, err := d.Account.ContactInformation(c.Ctx, c.Account())
			if err != nil {
				return nil, err
			}
			return contactInformationOut{contactInformationDTO(*ci)}, nil
		},
	})
}

func (d Deps) putContactInformation() op.Row {
	return row("PutContactInformation", func(in *putContactInformationIn) string { return in.AccountId }, op.Spec[putContactInformationIn]{
		Billing: authz.BillingModel,
		Handle: func(c *op.Call, in *putContactInformationIn) (any, error) {
			var ci *gatehouse.ContactInformation
			if in.ContactInformation != nil {
				v := gatehouse.ContactInformation(*in.ContactInformation)
				ci = &v
			}
			return nil, d.Account.PutContactInformation(c.Ctx, c.Account(), ci)
		},
	})
}
