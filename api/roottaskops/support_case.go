package roottaskops

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// The account's support cases (the GovCloud root key requests):
// GetSupportCase, for the root user.

func (d Deps) getSupportCase() op.Row {
	return task("GetSupportCase", rootOnly, func(c *op.Call, in *supportCaseIn) (any, error) {
		sc, err := d.RootTasks.SupportCase(c.Ctx, c.Account(), in.CaseId)
		if err != nil {
			return nil, err
		}
		return supportCase(sc), nil
	})
}

func supportCase(c *gatehouse.SupportCase) supportCaseOut {
	out := supportCaseOut{CaseId: c.ID, Kind: c.Kind, Subject: c.Subject, Status: c.Status,
		CreatedAt: c.CreatedAt.UTC().Format(time.RFC3339)}
	if !c.ResolvedAt.IsZero() {
		out.ResolvedAt = c.ResolvedAt.UTC().Format(time.RFC3339)
	}
	return out
}
