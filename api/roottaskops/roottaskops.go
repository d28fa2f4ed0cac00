// Package roottaskops is the operation table of the gatehouse service:
// Gatehouse's own REST-JSON API (signing name "gatehouse", POST
// /<lowerCamelOp>) for the tasks AWS reserves for the root user and
// offers in its console only (docs/root-tasks.md).
package roottaskops

import (
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/roottask"
)

// Deps is what the gatehouse operations reach.
type Deps struct {
	RootTasks *roottask.Service
}

// Rows returns the gatehouse operation table.
func Rows(d Deps) []op.Row {
	return []op.Row{
		d.changeRootPassword(),
		d.startRootEmailUpdate(),
		d.confirmRootEmailUpdate(),
		d.closeAccount(),
		d.reopenAccount(),
		d.getAccountStatus(),
		d.getIAMBillingAccess(),
		d.updateIAMBillingAccess(),
		d.registerMarketplaceSeller(),
		d.getMarketplaceSellerProfile(),
		d.signUpGovCloud(),
		d.requestGovCloudRootAccessKeys(),
		d.getSupportCase(),
		d.getPaymentPreferences(),
		d.putPaymentPreferences(),
	}
}

// access says who may call an operation of the gatehouse table; authz
// decides it (op.Spec.RootOnly, ConsoleOnly).
type access int

const (
	// byPolicy: any principal its policies allow (reads an IAM
	// administrator may be granted).
	byPolicy access = iota
	// rootOnly: the root user, with its access key or a session.
	rootOnly
	// consoleOnly: the root user signed in with its password (and MFA
	// when it has a device): what AWS offers only in its console.
	consoleOnly
)

// task builds a row of the gatehouse table: action gatehouse:<name> on
// the root user's ARN, reserved as who says.
func task[In any](name string, who access, handle func(c *op.Call, in *In) (any, error)) op.Row {
	return op.New(name, op.Spec[In]{
		Action:      "gatehouse:" + name,
		Resource:    func(c *op.Call, _ *In) string { return c.Caller.Account.RootARN() },
		RootOnly:    who != byPolicy,
		ConsoleOnly: who == consoleOnly,
		Handle:      handle,
	})
}
