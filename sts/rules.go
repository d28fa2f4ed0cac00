package sts

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// CheckAssumeRoleCaller applies AWS's rule that a root user cannot
// assume a role (with root's access keys or its session); AWS checks it
// before authorizing the request.
func CheckAssumeRoleCaller(root bool) error {
	if root {
		return gatehouse.Errorf(gatehouse.CodeDenied, "Roles may not be assumed by root accounts.")
	}
	return nil
}

// CheckGetSessionTokenCaller applies AWS's rule that GetSessionToken
// refuses temporary credentials: a session cannot make another.
func CheckGetSessionTokenCaller(session bool) error {
	if session {
		return gatehouse.Errorf(gatehouse.CodeDenied, "Cannot call GetSessionToken with session credentials")
	}
	return nil
}

// CheckSessionPolicy validates an inline session policy (AssumeRole's
// Policy) as AWS does: a policy document of the session kind, whose
// first error is the one returned. An empty policy is none.
func CheckSessionPolicy(doc string) error {
	if doc == "" {
		return nil
	}
	if f, bad := policy.FirstError(policy.Validate([]byte(doc), policy.ValidateOptions{Kind: policy.KindSession})); bad {
		return gatehouse.PolicyFindingError(f.Code, f.Message)
	}
	return nil
}

// PackedPolicySize is AWS's PackedPolicySize of a role session: the
// percentage of the packed session policy limit its session policies
// use, the inline policy counted without white space and each managed
// policy ARN as 100 characters.
func PackedPolicySize(doc string, policyARNs int) int {
	return (policy.Size([]byte(doc)) + 100*policyARNs) * 100 / MaxSessionPolicySize
}
