package roottaskops

import "github.com/gatehouse-dev/gatehouse/api/op"

// The root user's sign-in credentials, console tasks all:
// ChangeRootPassword, StartRootEmailUpdate, ConfirmRootEmailUpdate.

func (d Deps) changeRootPassword() op.Row {
	return task("ChangeRootPassword", consoleOnly, func(c *op.Call, in *changeRootPasswordIn) (any, error) {
		return nil, d.RootTasks.ChangeRootPassword(c.Ctx, c.Account(), in.CurrentPassword, in.NewPassword)
	})
}

func (d Deps) startRootEmailUpdate() op.Row {
	return task("StartRootEmailUpdate", consoleOnly, func(c *op.Call, in *startRootEmailIn) (any, error) {
		if err := d.RootTasks.StartEmailUpdate(c.Ctx, c.Account(), in.NewEmail); err != nil {
			return nil, err
		}
		return statusOut{"PENDING"}, nil
	})
}

func (d Deps) confirmRootEmailUpdate() op.Row {
	return task("ConfirmRootEmailUpdate", consoleOnly, func(c *op.Call, in *rootEmailIn) (any, error) {
		if err := d.RootTasks.ConfirmEmailUpdate(c.Ctx, c.Account(), in.NewEmail, in.Code); err != nil {
			return nil, err
		}
		return statusOut{"ACCEPTED"}, nil
	})
}
