package api

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
	"github.com/gatehouse-dev/gatehouse/sts"
)

// Inputs of the STS session operations.
type (
	policyDescriptorIn struct {
		Arn string `query:"arn"`
	}
	assumeRoleIn struct {
		RoleArn         string `query:",required"`
		RoleSessionName string `query:",required"`
		DurationSeconds *int
		Policy          string
		PolicyArns      []policyDescriptorIn
		ExternalId      string
		SerialNumber    string
		TokenCode       string
		SourceIdentity  string
		Tags            []tagIn
	}
	getSessionTokenIn struct {
		DurationSeconds *int
		SerialNumber    string
		TokenCode       string
	}
	accessKeyInfoIn struct {
		AccessKeyId string `query:",required"`
	}
)

type credentialsXML struct {
	AccessKeyID     string     `xml:"AccessKeyId"`
	SecretAccessKey string     `xml:"SecretAccessKey"`
	SessionToken    string     `xml:"SessionToken"`
	Expiration      query.Time `xml:"Expiration"`
}

func toCredentialsXML(cr *sts.Credentials) credentialsXML {
	return credentialsXML{cr.Session.AccessKeyID, cr.Session.Secret.Reveal(), cr.Token.Reveal(), query.Time(cr.Session.Expiration)}
}

// errMFA refuses a SerialNumber without a TokenCode (or the other way
// round), or a code from a caller that has no MFA device (a role).
var errMFA = gatehouse.Errorf(gatehouse.EAccessDenied, "MultiFactorAuthentication failed, unable to validate MFA code.")

// targetRole finds the role an AssumeRole request names, in any account
// this server hosts; nil when there is none (the request is then denied
// as for a role whose trust policy does not allow the caller).
func (c *call) targetRole(roleARN string) *gatehouse.Role {
	a, err := arn.Parse(roleARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return nil
	}
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	r, err := c.srv.IAM.Role(c.ctx, a.Account, name)
	if err != nil || r.ARN() != roleARN {
		return nil
	}
	return r
}

func stsSessionOperations() []operation {
	return []operation{
		legacyOp("AssumeRole", opSpec[assumeRoleIn]{
			action: "sts:AssumeRole",
			precheck: func(c *call, in *assumeRoleIn) error {
				if err := sts.CheckAssumeRoleParams(in.RoleSessionName, in.DurationSeconds, in.Policy, len(in.PolicyArns)); err != nil {
					return err
				}
				if err := sts.CheckSessionTags(toTags(in.Tags)); err != nil {
					return err
				}
				if c.caller.IsRoot() {
					return gatehouse.Errorf(gatehouse.EAccessDenied, "Roles may not be assumed by root accounts.")
				}
				if in.SerialNumber != "" || in.TokenCode != "" {
					return c.verifySessionMFA(in.SerialNumber, in.TokenCode)
				}
				return nil
			},
			resource: func(c *call, in *assumeRoleIn) string { return in.RoleArn },
			// Session tags and a source identity need their own
			// permission in the trust policy (and the caller's policies).
			alsoActions: func(c *call, in *assumeRoleIn) []string {
				var actions []string
				if len(in.Tags) > 0 {
					actions = append(actions, "sts:TagSession")
				}
				if in.SourceIdentity != "" {
					actions = append(actions, "sts:SetSourceIdentity")
				}
				return actions
			},
			resourcePolicy: func(c *call, in *assumeRoleIn, r *authz.Request) {
				r.ResourceType = policy.RoleTrustPolicy
				r.ResourcePolicyID = in.RoleArn + "#trust"
				if a, err := arn.Parse(in.RoleArn); err == nil {
					r.ResourceAccount = a.Account
				}
				if role := c.targetRole(in.RoleArn); role != nil {
					r.ResourcePolicy, r.PrincipalBindings = role.AssumeRolePolicy, role.TrustBindings
				}
			},
			context: func(c *call, in *assumeRoleIn, ctx *policy.Context) {
				if in.ExternalId != "" {
					ctx.Set("sts:ExternalId", in.ExternalId)
				}
				ctx.Set("sts:RoleSessionName", in.RoleSessionName)
				if in.SourceIdentity != "" {
					ctx.Set("sts:SourceIdentity", in.SourceIdentity)
				}
				tagContext(ctx, in.Tags)
				c.mfaContext(ctx)
			},
			handle: func(c *call, in *assumeRoleIn) (any, error) {
				role := c.targetRole(in.RoleArn)
				if role == nil {
					return nil, gatehouse.Errorf(gatehouse.EAccessDenied, "%s", authz.DeniedMessage(c.caller.ARN(), "sts:AssumeRole", in.RoleArn, policy.Decision{DecidedBy: policy.RoleTrustPolicy}))
				}
				if in.Policy != "" {
					if f, bad := policy.FirstError(policy.Validate([]byte(in.Policy), policy.ValidateOptions{Kind: policy.KindSession})); bad {
						return nil, gatehouse.Errorf(f.Code, "%s", f.Message)
					}
				}
				arns := make([]string, 0, len(in.PolicyArns))
				for _, p := range in.PolicyArns {
					arns = append(arns, p.Arn)
				}
				ar := sts.AssumeRoleInput{Role: role, RoleSessionName: in.RoleSessionName, DurationSeconds: in.DurationSeconds,
					Policy: in.Policy, PolicyARNs: arns, SourceIdentity: in.SourceIdentity, Chained: c.caller.Role != nil,
					Tags: toTags(in.Tags)}
				if s := c.caller.Session; s != nil {
					ar.MFAAuthenticated, ar.MFAAuthTime = s.MFAAuthenticated, s.MFAAuthTime
				}
				if c.mfa.verified {
					ar.MFAAuthenticated, ar.MFAAuthTime = true, c.mfa.at
				}
				cr, err := c.srv.STS.AssumeRole(c.ctx, ar)
				if err != nil {
					return nil, err
				}
				type assumedRoleUser struct {
					AssumedRoleID string `xml:"AssumedRoleId"`
					Arn           string `xml:"Arn"`
				}
				out := struct {
					Credentials      credentialsXML  `xml:"Credentials"`
					AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser"`
					PackedPolicySize *int            `xml:"PackedPolicySize,omitempty"`
					SourceIdentity   string          `xml:"SourceIdentity,omitempty"`
				}{
					Credentials:     toCredentialsXML(cr),
					AssumedRoleUser: assumedRoleUser{role.ID + ":" + in.RoleSessionName, authz.SessionARN(role.AccountID, role.Name, in.RoleSessionName)},
					SourceIdentity:  in.SourceIdentity,
				}
				if in.Policy != "" || len(arns) > 0 {
					size := (policy.Size([]byte(in.Policy)) + 100*len(arns)) * 100 / sts.MaxSessionPolicySize
					out.PackedPolicySize = &size
				}
				return out, nil
			},
		}),
		// GetSessionToken needs no permission; it refuses session
		// credentials.
		legacyOp("GetSessionToken", opSpec[getSessionTokenIn]{
			precheck: func(c *call, in *getSessionTokenIn) error {
				if c.caller.Session != nil {
					return gatehouse.Errorf(gatehouse.EAccessDenied, "Cannot call GetSessionToken with session credentials")
				}
				if in.SerialNumber != "" || in.TokenCode != "" {
					return c.verifySessionMFA(in.SerialNumber, in.TokenCode)
				}
				return nil
			},
			handle: func(c *call, in *getSessionTokenIn) (any, error) {
				var userName, userID string
				if c.caller.User != nil {
					userName, userID = c.caller.User.Name, c.caller.User.ID
				}
				cr, err := c.srv.STS.GetSessionToken(c.ctx, sts.GetSessionTokenInput{AccountID: c.account(), UserName: userName, UserID: userID,
					DurationSeconds: in.DurationSeconds, MFAAuthenticated: c.mfa.verified})
				if err != nil {
					return nil, err
				}
				return struct {
					Credentials credentialsXML `xml:"Credentials"`
				}{toCredentialsXML(cr)}, nil
			},
		}),
		legacyOp("GetAccessKeyInfo", opSpec[accessKeyInfoIn]{
			action: "sts:GetAccessKeyInfo",
			handle: func(c *call, in *accessKeyInfoIn) (any, error) {
				account, err := c.srv.keyAccount(c.ctx, in.AccessKeyId)
				if err != nil {
					return nil, err
				}
				return struct {
					Account string `xml:"Account"`
				}{account}, nil
			},
		}),
	}
}

// keyAccount returns the account that owns an access key ID, long-term
// or temporary.
func (s *Server) keyAccount(ctx context.Context, id string) (string, error) {
	var account string
	err := s.Store.View(ctx, func(tx gatehouse.Tx) error {
		if strings.HasPrefix(id, "ASIA") {
			sess, err := tx.Session(id)
			if err == nil {
				account = sess.AccountID
			}
			return err
		}
		k, err := tx.AccessKey(id)
		if err == nil {
			account = k.AccountID
		}
		return err
	})
	if gatehouse.ErrorCode(err) == gatehouse.ENoSuchEntity {
		return "", gatehouse.Errorf("InvalidParameterValue", "The access key ID %s does not belong to an account of this server.", id)
	}
	return account, err
}
