// Package stsops is the operation table of the Security Token Service:
// its wire inputs and results, and one op.Row per operation that
// authorizes it and runs it on the sts service.
package stsops

import (
	"context"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// Deps are the services the STS operations run on.
type Deps struct {
	// STS issues temporary credentials.
	STS *sts.Service
	// IAM finds the role an AssumeRole request names and verifies the
	// MFA codes STS requests carry (an *iam.Service).
	IAM IAM
}

// IAM is what the STS operations need of the IAM service.
type IAM interface {
	// Role returns a role of an account.
	Role(ctx context.Context, account, name string) (*gatehouse.Role, error)
	// VerifyMFA checks a one-time code of a device assigned to a user,
	// or to the root user (gatehouse.RootUserName), and returns the time
	// of the verification.
	VerifyMFA(ctx context.Context, account, userName, serialNumber, code string) (time.Time, error)
}

// Rows returns the STS operation table.
func Rows(d Deps) []op.Row {
	return []op.Row{
		d.assumeRole(),
		d.getSessionToken(),
		d.getAccessKeyInfo(),
		d.getCallerIdentity(),
	}
}
