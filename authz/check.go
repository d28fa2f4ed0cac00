package authz

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/billing"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// BillingGate says how an operation takes part in billing authorization.
type BillingGate int

const (
	// NotBilling: the request is authorized for its action alone.
	NotBilling BillingGate = iota
	// BillingModel: the request is authorized for the actions the
	// account's billing permission model requires
	// (billing.RequiredActions), without the IAM billing access switch
	// (Account API operations, docs/invoicing.md).
	BillingModel
	// BillingGated: the IAM billing access switch, then the permission
	// model (billing console data: invoicing, tax settings).
	BillingGated
)

// Operation is everything the edge knows about one authorized operation:
// the request itself and the rules AWS applies around its policies.
type Operation struct {
	Request
	// RootOnly reserves the operation for the account's root user: any
	// IAM user or role session is denied whatever its policies allow
	// (aws-reference §1). Root is still authorized as usual.
	RootOnly bool
	// ConsoleOnly (with RootOnly) reserves the operation for the root
	// user's console sign-in session (POST /_gatehouse/signin), made with
	// MFA when root has an MFA device: AWS offers these tasks only in its
	// console, behind the root password and MFA, never to an access key
	// (docs/root-tasks.md).
	ConsoleOnly bool
	// Billing makes Action a fine-grained billing action, authorized by
	// the account's billing permission model (and, with BillingGated,
	// the IAM billing access switch).
	Billing BillingGate
	// SelfGrant lets the account's password policy allow the action to
	// an IAM user acting on itself when no policy does (an implicit
	// deny; an explicit deny still refuses): AllowUsersToChangePassword
	// grants iam:ChangePassword and iam:GetAccountPasswordPolicy.
	SelfGrant bool
	// AlsoResources are more resources the action must be allowed on,
	// each after Resource (a rename or move needs the entity's new ARN
	// as well as its old one).
	AlsoResources []string
	// AlsoActions are more actions the request needs on its resource,
	// each authorized like Action with the same resource policy (AWS's
	// sts:TagSession for AssumeRole with session tags, for example).
	AlsoActions []string
	// Time is when the request was made (the billing permission model
	// depends on it); zero means the authorizer's clock.
	Time time.Time
	// TrustPolicyOf is the ARN of the role whose trust policy is the
	// request's resource policy (sts:AssumeRole); Check reads the role.
	TrustPolicyOf string
}

// Check decides an operation for caller c and records the decision in
// the request's audit record (gatehouse.AuditFrom(ctx)). It returns nil
// when the operation may run, else the error to answer: AccessDenied
// with AWS's message (or Gatehouse's, for the rules AWS words only in
// its console), or the error that kept it from deciding.
func (a *Authorizer) Check(ctx context.Context, c *Caller, op *Operation) error {
	r := &op.Request
	if op.RootOnly && !c.IsRoot() {
		return deny(ctx, r.Resource, rootOnlyMessage(c.ARN(), r.Action, r.Resource))
	}
	if op.ConsoleOnly {
		if err := a.RequireConsoleSignIn(ctx, c, r.Action, r.Resource); err != nil {
			return err
		}
	}
	if op.TrustPolicyOf != "" {
		if err := a.useTrustPolicy(ctx, r, op.TrustPolicyOf); err != nil {
			return err
		}
	}
	if op.Billing != NotBilling {
		now := op.Time
		if now.IsZero() {
			now = a.now()
		}
		return a.authorizeBilling(ctx, c, r, op.Billing == BillingGated, now)
	}
	d, err := a.Authorize(ctx, c, r)
	if err != nil && d.Result == policy.ImplicitDeny && gatehouse.ErrorCode(err) == gatehouse.CodeDenied &&
		op.SelfGrant && a.passwordPolicyGrants(ctx, c) {
		d, err = policy.Decision{Result: policy.Allowed}, nil
	}
	RecordDecision(ctx, r.Resource, d, err)
	if err != nil {
		return err
	}
	more := make([]Request, 0, len(op.AlsoResources)+len(op.AlsoActions))
	for _, resource := range op.AlsoResources {
		m := *r
		m.Resource = resource
		more = append(more, m)
	}
	for _, action := range op.AlsoActions {
		m := *r
		m.Action = action
		more = append(more, m)
	}
	for i := range more {
		if d, err := a.Authorize(ctx, c, &more[i]); err != nil {
			RecordDecision(ctx, more[i].Resource, d, err)
			return err
		}
	}
	return nil
}

// RecordDecision writes a decision on resource into the request's audit
// record, if it has one. A request that failed for another reason than
// a denial keeps no decision.
func RecordDecision(ctx context.Context, resource string, d policy.Decision, err error) {
	rec := gatehouse.AuditFrom(ctx)
	if rec == nil {
		return
	}
	rec.Resource = gatehouse.ClipAudit(resource, gatehouse.MaxAuditResource)
	if err == nil || gatehouse.ErrorCode(err) == gatehouse.CodeDenied {
		rec.Decision = d.Result.String()
	}
	if err == nil && d.RootException {
		// The resource policy denies, and the owner's root user went
		// through as AWS lets it (policy.Decision.RootException).
		rec.Decision = gatehouse.DecisionRootException
	}
}

// Deny records an explicit deny on resource and returns the AccessDenied
// error with message: for rules outside the policies (a root-only
// invoice document, for example).
func Deny(ctx context.Context, resource, message string) error {
	return deny(ctx, resource, message)
}

func deny(ctx context.Context, resource, message string) error {
	err := gatehouse.Errorf(gatehouse.CodeDenied, "%s", message)
	RecordDecision(ctx, resource, policy.Decision{Result: policy.ExplicitDeny}, err)
	return err
}

// rootOnlyMessage words the denial of a root-only operation to an IAM
// principal. The wording is Gatehouse's: AWS offers these tasks in its
// console only and prints no such API error.
func rootOnlyMessage(principalARN, action, resource string) string {
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource +
		" because this action requires the account's root user"
}

// RequireConsoleSignIn refuses, with an audited explicit deny, a root
// caller that did not sign in (its long-term access key, or a
// GetSessionToken session), and a sign-in without MFA while root has an
// MFA device.
func (a *Authorizer) RequireConsoleSignIn(ctx context.Context, c *Caller, action, resource string) error {
	s := c.Session
	var msg string
	switch {
	case s == nil || !s.SignIn:
		msg = "This task is done only when you sign in as the root user: run 'gatehouse root sign-in' with the root " +
			"email and password (and an MFA code when root has an MFA device) and use the session it prints; " +
			"a root access key cannot do it."
	case !s.MFAAuthenticated:
		has, err := a.rootHasMFA(ctx, c.Account.ID)
		if err != nil {
			return err
		}
		if !has {
			return nil
		}
		msg = "This task needs a root sign-in with MFA: the root user has an MFA device, so sign in again with " +
			"'gatehouse root sign-in --mfa-code CODE'."
	default:
		return nil
	}
	return deny(ctx, resource, "User: "+c.ARN()+" is not authorized to perform: "+action+" on resource: "+resource+". "+msg)
}

// rootHasMFA reports whether the account's root user has an MFA device.
func (a *Authorizer) rootHasMFA(ctx context.Context, account string) (bool, error) {
	var has bool
	err := a.Store.View(ctx, func(tx Tx) error {
		devices, err := tx.MFADevices(account)
		for _, d := range devices {
			if d.Assigned() && strings.EqualFold(d.UserName, gatehouse.RootUserName) {
				has = true
			}
		}
		return err
	})
	return has, err
}

// passwordPolicyGrants reports whether the account's password policy
// lets every IAM user change its own password
// (AllowUsersToChangePassword), which grants the calling user (not a
// role session) the SelfGrant actions without a policy that allows them.
func (a *Authorizer) passwordPolicyGrants(ctx context.Context, c *Caller) bool {
	if c.User == nil || c.Role != nil {
		return false
	}
	var grants bool
	err := a.Store.View(ctx, func(tx Tx) error {
		st, err := tx.AccountSettings(c.Account.ID)
		if err == nil && st.PasswordPolicy != nil {
			grants = st.PasswordPolicy.AllowUsersToChangePassword
		}
		return err
	})
	return err == nil && grants
}

// BillingModelOf returns the billing permission model in force for an
// account at now: its pinned model (Account.BillingPermissions), or under auto
// ("" or "auto") the one its creation date decides
// (billing.EffectiveModel). An unknown stored value counts as auto.
func BillingModelOf(acct *gatehouse.Account, now time.Time) billing.PermissionModel {
	pinned, _ := billing.ParsePermissionModel(acct.BillingPermissions)
	return billing.EffectiveModel(acct.CreatedAt, pinned, now)
}

// billingAccessMessage words the denial of a billing operation to an IAM
// principal while the account's "IAM user and role access to Billing
// information" switch is off. The wording is Gatehouse's (AWS documents
// the switch in console terms only, aws-reference §2).
func billingAccessMessage(principalARN, action, resource, accountID string) string {
	return "User: " + principalARN + " is not authorized to perform: " + action + " on resource: " + resource +
		" because IAM user and role access to Billing information is not activated for account " + accountID +
		" (only the root user can activate it)"
}

// authorizeBilling authorizes a billing-family request whose Action is
// the operation's fine-grained action.
//
//   - With gate, while the account's IAM billing access switch is off,
//     every IAM user and role session is denied whatever its policies
//     (billingAccessMessage); root is unaffected.
//   - Otherwise the request is authorized against billing.RequiredActions
//     of the account's model: the fine-grained action itself, or under the
//     legacy model the retired actions whose mapping contains it. Each
//     candidate is decided by Authorize; the request is allowed if any
//     is, and denied with the first candidate's message otherwise.
func (a *Authorizer) authorizeBilling(ctx context.Context, c *Caller, req *Request, gate bool, now time.Time) error {
	candidates := billing.RequiredActions(BillingModelOf(c.Account, now), req.Action)
	if gate && !c.IsRoot() && !c.Account.IAMBillingAccess {
		return deny(ctx, req.Resource, billingAccessMessage(c.ARN(), candidates[0], req.Resource, c.Account.ID))
	}
	var firstErr error
	var firstDecision policy.Decision
	for i, action := range candidates {
		r := *req
		r.Action = action
		d, err := a.Authorize(ctx, c, &r)
		if err == nil {
			RecordDecision(ctx, r.Resource, d, nil)
			return nil
		}
		if gatehouse.ErrorCode(err) != gatehouse.CodeDenied {
			return err
		}
		if i == 0 {
			firstErr, firstDecision = err, d
		}
	}
	RecordDecision(ctx, req.Resource, firstDecision, firstErr)
	return firstErr
}

// DenyRootOnly records and returns the denial of an action reserved for
// the root user to an IAM principal, for an operation that learns only
// while it runs that its target is root's (iam:GetAccessKeyLastUsed on a
// root access key).
func DenyRootOnly(ctx context.Context, c *Caller, action, resource string) error {
	return deny(ctx, resource, rootOnlyMessage(c.ARN(), action, resource))
}

// DenyOtherAccount refuses an operation that names an account other than
// the caller's (an AccountId member: Account Management, Tax Settings).
// Gatehouse has no organizations, so no caller may act on another
// account's settings; the request is refused before it is authorized.
func DenyOtherAccount(c *Caller, action string) error {
	return gatehouse.Errorf(gatehouse.CodeDenied, "User: %s is not authorized to perform: %s", c.ARN(), action)
}
