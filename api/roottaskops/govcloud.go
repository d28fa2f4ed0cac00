package roottaskops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// AWS GovCloud (US) (docs/root-tasks.md C1, C2), console tasks both:
// SignUpGovCloud links a GovCloud account; RequestGovCloudRootAccessKeys
// opens the support case that delivers its root access keys.

func (d Deps) signUpGovCloud() op.Row {
	return task("SignUpGovCloud", consoleOnly, func(c *op.Call, _ *op.Empty) (any, error) {
		g, err := d.RootTasks.SignUpGovCloud(c.Ctx, c.Account())
		if err != nil {
			return nil, err
		}
		return govCloudOut{g.ID, gatehouse.PartitionGovCloud, g.RootARN(), g.State}, nil
	})
}

func (d Deps) requestGovCloudRootAccessKeys() op.Row {
	return task("RequestGovCloudRootAccessKeys", consoleOnly, func(c *op.Call, _ *op.Empty) (any, error) {
		sc, err := d.RootTasks.RequestGovCloudRootKeys(c.Ctx, c.Account())
		if err != nil {
			return nil, err
		}
		return supportCase(sc), nil
	})
}
