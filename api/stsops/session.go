package stsops

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// targetRole finds the role an AssumeRole request names, in any account
// this server hosts; nil when there is none (the request is then denied
// as for a role whose trust policy does not allow the caller).
func (d Deps) targetRole(c *op.Call, roleARN string) *gatehouse.Role {
	a, err := arn.Parse(roleARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return nil
	}
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	r, err := d.IAM.Role(c.Ctx, a.Account, name)
	if err != nil || r.ARN() != roleARN {
		return nil
	}
	return r
}

func (d Deps) assumeRole() op.Row {
	return op.New("AssumeRole", op.Spec[assumeRoleIn]{
		Action: "sts:AssumeRole",
		Precheck: func(c *op.Call, in *assumeRoleIn) error {
			if err := sts.CheckAssumeRoleParams(in.RoleSessionName, in.DurationSeconds, in.Policy, len(in.PolicyArns)); err != nil {
				return err
			}
			if err := sts.CheckSessionTags(op.Tags(in.Tags)); err != nil {
				return err
			}
			if err := sts.CheckAssumeRoleCaller(c.Caller.IsRoot()); err != nil {
				return err
			}
			if in.SerialNumber != "" || in.TokenCode != "" {
				var err error
				in.mfa, err = d.verifySessionMFA(c, in.SerialNumber, in.TokenCode)
				return err
			}
			return nil
		},
		Resource: func(c *op.Call, in *assumeRoleIn) string { return in.RoleArn },
		// Session tags and a source identity need their own
		// permission in the trust policy (and the caller's policies).
		AlsoActions: func(c *op.Call, in *assumeRoleIn) []string {
			var actions []string
			if len(in.Tags) > 0 {
				actions = append(actions, "sts:TagSession")
			}
			if in.SourceIdentity != "" {
				actions = append(actions, "sts:SetSourceIdentity")
			}
			return actions
		},
		// The role's trust policy is the resource policy; authz reads it.
		TrustPolicyOf: func(c *op.Call, in *assumeRoleIn) string { return in.RoleArn },
		Context: func(c *op.Call, in *assumeRoleIn, ctx *policy.Context) {
			if in.ExternalId != "" {
				ctx.Set("sts:ExternalId", in.ExternalId)
			}
			ctx.Set("sts:RoleSessionName", in.RoleSessionName)
			if in.SourceIdentity != "" {
				ctx.Set("sts:SourceIdentity", in.SourceIdentity)
			}
			op.TagContext(ctx, in.Tags)
			mfaContext(c, in.mfa, ctx)
		},
		Handle: func(c *op.Call, in *assumeRoleIn) (any, error) {
			role := d.targetRole(c, in.RoleArn)
			if role == nil {
				return nil, gatehouse.Errorf(gatehouse.CodeDenied, "%s", authz.DeniedMessage(c.Caller.ARN(), "sts:AssumeRole", in.RoleArn, policy.Decision{DecidedBy: policy.RoleTrustPolicy}))
			}
			arns := make([]string, 0, len(in.PolicyArns))
			for _, p := range in.PolicyArns {
				arns = append(arns, p.Arn)
			}
			ar := sts.AssumeRoleInput{Role: role, RoleSessionName: in.RoleSessionName, DurationSeconds: in.DurationSeconds,
				Policy: in.Policy, PolicyARNs: arns, SourceIdentity: in.SourceIdentity, Chained: c.Caller.Role != nil,
				Tags: op.Tags(in.Tags)}
			if s := c.Caller.Session; s != nil {
				ar.MFAAuthenticated, ar.MFAAuthTime = s.MFAAuthenticated, s.MFAAuthTime
			}
			if in.mfa.verified {
				ar.MFAAuthenticated, ar.MFAAuthTime = true, in.mfa.at
			}
			cr, err := d.STS.AssumeRole(c.Ctx, ar)
			if err != nil {
				return nil, err
			}
			return assumeRoleOut{
				Credentials:      toCredentialsXML(cr),
				AssumedRoleUser:  assumedRoleUserXML{role.ID + ":" + in.RoleSessionName, authz.SessionARN(role.Partition, role.AccountID, role.Name, in.RoleSessionName)},
				PackedPolicySize: cr.PackedPolicySize,
				SourceIdentity:   in.SourceIdentity,
			}, nil
		},
	})
}

// getSessionToken needs no permission; it refuses session credentials.
func (d Deps) getSessionToken() op.Row {
	return op.New("GetSessionToken", op.Spec[getSessionTokenIn]{
		Precheck: func(c *op.Call, in *getSessionTokenIn) error {
			if err := sts.CheckGetSessionTokenCaller(c.Caller.Session != nil); err != nil {
				return err
			}
			if in.SerialNumber != "" || in.TokenCode != "" {
				var err error
				in.mfa, err = d.verifySessionMFA(c, in.SerialNumber, in.TokenCode)
				return err
			}
			return nil
		},
		Handle: func(c *op.Call, in *getSessionTokenIn) (any, error) {
			var userName, userID string
			if c.Caller.User != nil {
				userName, userID = c.Caller.User.Name, c.Caller.User.ID
			}
			cr, err := d.STS.GetSessionToken(c.Ctx, sts.GetSessionTokenInput{AccountID: c.Account(), UserName: userName, UserID: userID,
				DurationSeconds: in.DurationSeconds, MFAAuthenticated: in.mfa.verified})
			if err != nil {
				return nil, err
			}
			return getSessionTokenOut{toCredentialsXML(cr)}, nil
		},
	})
}

// getCallerIdentity needs no permission and works even under an
// explicit deny (aws-reference §5.3).
func (d Deps) getCallerIdentity() op.Row {
	return op.New("GetCallerIdentity", op.Spec[op.Empty]{
		Handle: func(c *op.Call, in *op.Empty) (any, error) {
			return getCallerIdentityOut{c.Caller.UserID(), c.Account(), c.Caller.ARN()}, nil
		},
	})
}
