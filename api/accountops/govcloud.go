package accountops

import "github.com/gatehouse-dev/gatehouse/api/op"

// getGovCloudAccountInformation is the Account API's
// GetGovCloudAccountInformation: the AWS GovCloud (US) account linked to
// the caller's (docs/root-tasks.md C1). Its StandardAccountId is the
// AccountId the precheck refuses when given.
func (d Deps) getGovCloudAccountInformation() op.Row {
	return row("GetGovCloudAccountInformation", func(in *govCloudInfoIn) string { return in.StandardAccountId }, op.Spec[govCloudInfoIn]{
		Handle: func(c *op.Call, _ *govCloudInfoIn) (any, error) {
			g, err := d.GovCloud.GovCloudAccount(c.Ctx, c.Account())
			if err != nil {
				return nil, err
			}
			return govCloudInfoOut{g.ID, g.State}, nil
		},
	})
}
