package api

import (
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// The gatehouse service: Gatehouse's own REST-JSON API (signing name
// "gatehouse", POST /<lowerCamelOp>) for the tasks AWS reserves for the
// root user and offers in its console only (docs/root-tasks.md). Every
// operation is authorized as gatehouse:<Op> on the root user's ARN.

type (
	changeRootPasswordIn struct {
		CurrentPassword string
		NewPassword     string
	}
	rootEmailIn struct {
		NewEmail string
		Code     string
	}
	startRootEmailIn struct {
		NewEmail string
	}
	billingAccessIn struct {
		IamUserAccessToBilling string
	}
	accountStatusOut struct {
		AccountState string `json:"AccountState"`
		ClosedAt     string `json:"ClosedAt,omitempty"`
	}
	billingAccessOut struct {
		IamUserAccessToBilling string `json:"IamUserAccessToBilling"`
	}
	statusOut struct {
		Status string `json:"Status"`
	}
)

// taskAccess says who may call an operation of the gatehouse table.
type taskAccess int

const (
	// byPolicy: any principal its policies allow (reads an IAM
	// administrator may be granted).
	byPolicy taskAccess = iota
	// rootOnly: the root user, with its access key or a session.
	rootOnly
	// consoleOnly: the root user signed in with its password (and MFA
	// when it has a device): what AWS offers only in its console.
	consoleOnly
)

// rootTaskOp builds a row of the gatehouse table: action gatehouse:<name>
// on the root user's ARN.
func rootTaskOp[In any](name string, access taskAccess, spec opSpec[In]) operation {
	spec.action = "gatehouse:" + name
	spec.resource = func(c *call, _ *In) string { return c.caller.Account.RootARN() }
	spec.rootOnly = access != byPolicy
	spec.consoleOnly = access == consoleOnly
	return legacyOp(name, spec)
}

func accountStatus(a *gatehouse.Account) accountStatusOut {
	out := accountStatusOut{AccountState: a.State()}
	if a.Closed() {
		out.ClosedAt = a.ClosedAt.UTC().Format(time.RFC3339)
	}
	return out
}

func billingAccess(a *gatehouse.Account) billingAccessOut {
	if a.IAMBillingAccess {
		return billingAccessOut{"ALLOW"}
	}
	return billingAccessOut{"DENY"}
}

// rootTaskOperations is the gatehouse operation table.
func rootTaskOperations() []operation {
	status := func(c *call) (any, error) {
		a, err := c.srv.RootTasks.Account(c.ctx, c.account())
		if err != nil {
			return nil, err
		}
		return accountStatus(a), nil
	}
	return append([]operation{
		rootTaskOp("ChangeRootPassword", consoleOnly, opSpec[changeRootPasswordIn]{
			handle: func(c *call, in *changeRootPasswordIn) (any, error) {
				return nil, c.srv.RootTasks.ChangeRootPassword(c.ctx, c.account(), in.CurrentPassword, in.NewPassword)
			},
		}),
		rootTaskOp("StartRootEmailUpdate", consoleOnly, opSpec[startRootEmailIn]{
			handle: func(c *call, in *startRootEmailIn) (any, error) {
				if err := c.srv.RootTasks.StartEmailUpdate(c.ctx, c.account(), in.NewEmail); err != nil {
					return nil, err
				}
				return statusOut{"PENDING"}, nil
			},
		}),
		rootTaskOp("ConfirmRootEmailUpdate", consoleOnly, opSpec[rootEmailIn]{
			handle: func(c *call, in *rootEmailIn) (any, error) {
				if err := c.srv.RootTasks.ConfirmEmailUpdate(c.ctx, c.account(), in.NewEmail, in.Code); err != nil {
					return nil, err
				}
				return statusOut{"ACCEPTED"}, nil
			},
		}),
		rootTaskOp("CloseAccount", consoleOnly, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				if err := c.srv.RootTasks.CloseAccount(c.ctx, c.account()); err != nil {
					return nil, err
				}
				return status(c)
			},
		}),
		rootTaskOp("ReopenAccount", consoleOnly, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				if err := c.srv.RootTasks.ReopenAccount(c.ctx, c.account()); err != nil {
					return nil, err
				}
				return status(c)
			},
		}),
		rootTaskOp("GetAccountStatus", rootOnly, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) { return status(c) },
		}),
		rootTaskOp("GetIAMBillingAccess", byPolicy, opSpec[emptyIn]{
			handle: func(c *call, _ *emptyIn) (any, error) {
				a, err := c.srv.RootTasks.Account(c.ctx, c.account())
				if err != nil {
					return nil, err
				}
				return billingAccess(a), nil
			},
		}),
		rootTaskOp("UpdateIAMBillingAccess", consoleOnly, opSpec[billingAccessIn]{
			handle: func(c *call, in *billingAccessIn) (any, error) {
				var on bool
				switch in.IamUserAccessToBilling {
				case "ALLOW":
					on = true
				case "DENY":
				default:
					msg := "Member must satisfy enum value set: [ALLOW, DENY]"
					return nil, &gatehouse.ValidationError{
						Err:    gatehouse.Errorf(roottask.EValidation, "1 validation error detected: Value at 'iamUserAccessToBilling' failed to satisfy constraint: %s", msg),
						Reason: "fieldValidationFailed",
						Fields: []gatehouse.FieldError{{Name: "iamUserAccessToBilling", Message: msg}},
					}
				}
				if err := c.srv.RootTasks.SetIAMBillingAccess(c.ctx, c.account(), on); err != nil {
					return nil, err
				}
				return billingAccessOut{in.IamUserAccessToBilling}, nil
			},
		}),
	}, append(sellerGovCloudOperations(), paymentOperations()...)...)
}
