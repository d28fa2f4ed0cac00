package policy

import "strings"

// PrincipalType says what kind of caller makes a request.
type PrincipalType uint8

// Principal types. Their String forms are the ones used by the
// simulate command's input.
const (
	Anonymous     PrincipalType = iota // an unsigned request
	Root                               // the account's root user
	User                               // an IAM user
	RoleSession                        // an assumed-role session
	FederatedUser                      // a GetFederationToken session
	Service                            // an AWS service principal
)

var principalTypeNames = [...]string{"anonymous", "root", "user", "role-session", "federated", "service"}

func (t PrincipalType) String() string {
	if int(t) < len(principalTypeNames) {
		return principalTypeNames[t]
	}
	return "unknown"
}

// ParsePrincipalType parses the String form of a principal type.
func ParsePrincipalType(s string) (PrincipalType, bool) {
	for i, n := range principalTypeNames {
		if n == s {
			return PrincipalType(i), true
		}
	}
	return 0, false
}

// isSession reports whether the principal holds temporary session
// credentials that session policies can restrict.
func (t PrincipalType) isSession() bool { return t == RoleSession || t == FederatedUser }

// hasIdentity reports whether the principal belongs to an account and so
// has an identity side to evaluate.
func (t PrincipalType) hasIdentity() bool { return t >= Root && t <= FederatedUser }

// Principal is the caller of a request, as resource-based policies see it.
type Principal struct {
	Type PrincipalType
	// ARN is the caller's own ARN: arn:aws:iam::ACCT:root, a user ARN,
	// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION or
	// arn:aws:sts::ACCT:federated-user/NAME.
	ARN string
	// IssuerARN is the long-term identity behind a session: the role's
	// ARN for a role session, the IAM user's ARN for a federated user.
	IssuerARN string
	// Account is the caller's 12-digit account ID.
	Account string
	// Service is the service principal name, e.g. "ec2.amazonaws.com".
	Service string
	// Federated is the identity provider a web-identity or SAML caller
	// authenticated with, matched by {"Federated": ...} principals.
	Federated string
	// CanonicalUser is the caller's S3 canonical user ID, if any.
	CanonicalUser string
}

// Request is one authorization question: may Principal perform Action on
// Resource, given the condition keys in Context?
type Request struct {
	Principal Principal
	// Action is "service:Action", e.g. "s3:GetObject".
	Action string
	// Resource is the target's ARN, or "*" for actions without resources.
	Resource string
	// ResourceAccount is the account that owns Resource. Empty means the
	// principal's own account.
	ResourceAccount string
	Context         Context
}

// PrincipalContext sets the principal-derived global condition keys
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
// aws:username) as AWS does for each kind of principal.
func PrincipalContext(ctx *Context, p Principal, userID string) {
	switch p.Type {
	case Anonymous:
		ctx.Set("aws:PrincipalType", "Anonymous")
		ctx.Set("aws:userid", "anonymous")
		ctx.Set("aws:PrincipalAccount", "anonymous")
		return
	case Service:
		ctx.Set("aws:PrincipalIsAWSService", "true")
		ctx.Set("aws:PrincipalServiceName", p.Service)
		return
	}
	ctx.Set("aws:PrincipalIsAWSService", "false")
	ctx.Set("aws:PrincipalAccount", p.Account)
	principalARN := p.ARN
	switch p.Type {
	case Root:
		ctx.Set("aws:PrincipalType", "Account")
		userID = p.Account
	case User:
		ctx.Set("aws:PrincipalType", "User")
		if i := strings.LastIndexByte(p.ARN, '/'); i >= 0 {
			ctx.Set("aws:username", p.ARN[i+1:])
		}
	case RoleSession:
		ctx.Set("aws:PrincipalType", "AssumedRole")
		if p.IssuerARN != "" {
			principalARN = p.IssuerARN
		}
	case FederatedUser:
		ctx.Set("aws:PrincipalType", "FederatedUser")
		if userID == "" {
			if i := strings.LastIndexByte(p.ARN, '/'); i >= 0 {
				userID = p.Account + ":" + p.ARN[i+1:]
			}
		}
	}
	if principalARN != "" {
		ctx.Set("aws:PrincipalArn", principalARN)
	}
	if userID != "" {
		ctx.Set("aws:userid", userID)
	}
}
