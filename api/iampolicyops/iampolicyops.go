// Package iampolicyops is the IAM operation table's managed-policy
// part: managed policies and their versions, GetAccountAuthorizationDetails
// and the policy simulator, as typed op.Spec rows.
package iampolicyops

import (
	"slices"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
)

// Deps is what the managed-policy operations reach: the IAM service.
type Deps struct {
	IAM *iam.Service
}

// Rows returns the managed-policy part of the IAM operation table; the
// rest (users, groups, roles and their credentials, and the tags of
// managed policies, which come from the per-entity-kind tag rows) is
// package iamops's.
func Rows(deps Deps) []op.Row {
	d := &deps
	return slices.Concat(
		d.policyRows(),
		d.policyVersionRows(),
		d.authDetailsRows(),
		d.simulationRows(),
	)
}

// Inputs naming a managed policy by its ARN, which is also what the
// operations on it are authorized against (policyResource).
type (
	policyNamed struct {
		PolicyArn string `query:",required"`
	}
	policyPageIn struct {
		policyNamed
		query.PageIn
	}
)

// policyResource is the Resource of an operation on the policy its
// input names.
func policyResource[In interface{ arn() string }](_ *op.Call, in *In) string { return (*in).arn() }

func (n policyNamed) arn() string { return n.PolicyArn }

// newPolicyARN returns the ARN of a managed policy that is about to be
// created.
func newPolicyARN(c *op.Call, path, name string) string {
	if path == "" {
		path = "/"
	}
	return gatehouse.EntityARN(c.Caller.Account.Partition, c.Account(), "policy", path, name)
}
