package authz

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// useTrustPolicy makes the trust policy of the role roleARN names the
// resource policy of r (sts:AssumeRole): the role is read from the
// store, and r carries its trust policy and the unique IDs the policy's
// principals were bound to when it was written. A role is named only by
// its exact ARN, as stored; an ARN that names no role (or spells one
// otherwise) leaves r with a trust policy that allows nothing, so the
// request is denied as AWS denies it, by the trust policy.
func (a *Authorizer) useTrustPolicy(ctx context.Context, r *Request, roleARN string) error {
	r.ResourceType = policy.RoleTrustPolicy
	r.ResourcePolicyID = roleARN + "#trust"
	parsed, err := arn.Parse(roleARN)
	if err != nil {
		return nil
	}
	r.ResourceAccount = parsed.Account
	if parsed.Service != "iam" || !strings.HasPrefix(parsed.Resource, "role/") {
		return nil
	}
	name := parsed.Resource[strings.LastIndexByte(parsed.Resource, '/')+1:]
	var role *gatehouse.Role
	err = a.Store.View(ctx, func(tx Tx) error {
		var err error
		role, err = tx.Role(parsed.Account, name)
		return err
	})
	switch {
	case gatehouse.ErrorCode(err) == gatehouse.CodeNotFound:
		return nil
	case err != nil:
		return err
	case role.ARN() != roleARN:
		return nil
	}
	r.ResourcePolicy, r.PrincipalBindings = role.AssumeRolePolicy, role.TrustBindings
	return nil
}
