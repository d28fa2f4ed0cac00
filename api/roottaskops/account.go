package roottaskops

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// The account's state: CloseAccount and ReopenAccount (console tasks),
// GetAccountStatus (the root user). A closed account's credentials are
// refused before any operation runs, but for ReopenAccount and
// GetAccountStatus by a root sign-in session (the edge's pipeline).

func (d Deps) closeAccount() op.Row {
	return task("CloseAccount", consoleOnly, func(c *op.Call, _ *op.Empty) (any, error) {
		if err := d.RootTasks.CloseAccount(c.Ctx, c.Account()); err != nil {
			return nil, err
		}
		return d.status(c)
	})
}

func (d Deps) reopenAccount() op.Row {
	return task("ReopenAccount", consoleOnly, func(c *op.Call, _ *op.Empty) (any, error) {
		if err := d.RootTasks.ReopenAccount(c.Ctx, c.Account()); err != nil {
			return nil, err
		}
		return d.status(c)
	})
}

func (d Deps) getAccountStatus() op.Row {
	return task("GetAccountStatus", rootOnly, func(c *op.Call, _ *op.Empty) (any, error) { return d.status(c) })
}

// status reads the caller's account and answers its state.
func (d Deps) status(c *op.Call) (any, error) {
	a, err := d.RootTasks.Account(c.Ctx, c.Account())
	if err != nil {
		return nil, err
	}
	return accountStatus(a), nil
}

func accountStatus(a *gatehouse.Account) accountStatusOut {
	out := accountStatusOut{AccountState: a.State()}
	if a.Closed() {
		out.ClosedAt = a.ClosedAt.UTC().Format(time.RFC3339)
	}
	return out
}
