package roottaskops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
)

// The IAM user and role access to billing information (the account's
// billing access switch): GetIAMBillingAccess (any principal its
// policies allow), UpdateIAMBillingAccess (a console task).

func (d Deps) getIAMBillingAccess() op.Row {
	return task("GetIAMBillingAccess", byPolicy, func(c *op.Call, _ *op.Empty) (any, error) {
		a, err := d.RootTasks.Account(c.Ctx, c.Account())
		if err != nil {
			return nil, err
		}
		return billingAccess(a), nil
	})
}

func (d Deps) updateIAMBillingAccess() op.Row {
	return task("UpdateIAMBillingAccess", consoleOnly, func(c *op.Call, in *billingAccessIn) (any, error) {
		var on bool
		switch in.IamUserAccessToBilling {
		case "ALLOW":
			on = true
		case "DENY":
		default:
			msg := "Member must satisfy enum value set: [ALLOW, DENY]"
			return nil, &gatehouse.ValidationError{
				Err:    gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value at 'iamUserAccessToBilling' failed to satisfy constraint: %s", msg),
				Reason: "fieldValidationFailed",
				Fields: []gatehouse.FieldError{{Name: "iamUserAccessToBilling", Message: msg}},
			}
		}
		if err := d.RootTasks.SetIAMBillingAccess(c.Ctx, c.Account(), on); err != nil {
			return nil, err
		}
		return billingAccessOut{in.IamUserAccessToBilling}, nil
	})
}

func billingAccess(a *gatehouse.Account) billingAccessOut {
	if a.IAMBillingAccess {
		return billingAccessOut{"ALLOW"}
	}
	return billingAccessOut{"DENY"}
}
