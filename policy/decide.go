package policy

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/arn"
)

// Result is the outcome of a decision.
type Result uint8

// The three outcomes. The zero value is ImplicitDeny, so an unset
// decision fails closed.
const (
	ImplicitDeny Result = iota
	ExplicitDeny
	Allowed
)

var resultNames = [...]string{"implicitDeny", "explicitDeny", "allowed"}

func (r Result) String() string { return resultNames[r] }

// PolicyType names the kind of policy that decided a request. Its String
// form is the wording AWS uses in AccessDenied messages.
type PolicyType uint8

// Policy types.
const (
	NoPolicy PolicyType = iota
	IdentityPolicy
	ResourcePolicy
	PermissionsBoundary
	SessionPolicy
	ServiceControlPolicy
	ResourceControlPolicy
	RoleTrustPolicy
	// RootUser marks allows granted because the caller is the root user of
	// the resource's account, which needs no policy.
	RootUser
)

var policyTypeNames = [...]string{
	"", "identity-based policy", "resource-based policy", "permissions boundary", "session policy",
	"service control policy", "resource control policy", "role trust policy", "root user",
}

func (t PolicyType) String() string { return policyTypeNames[t] }

// ParsePolicyType parses the String form of a policy type.
func ParsePolicyType(s string) (PolicyType, bool) {
	for i, n := range policyTypeNames {
		if n == s {
			return PolicyType(i), true
		}
	}
	return NoPolicy, false
}

// Policies are the policies that apply to one request, by type. A nil Set
// means that no policy of that type applies (no boundary, no session
// policy, no resource policy); a nil SCP or RCP chain means the account
// is not governed by one.
type Policies struct {
	Identity *Set
	// Boundary is the permissions boundary of the calling IAM user, or of
	// the role behind a role session. Its presence alone matters to
	// resource policies: a Deny statement with NotPrincipal applies to a
	// caller with a boundary whatever principals it lists.
	Boundary *Set
	// Session holds the session policies passed when the session was
	// created. A federated-user session without one has no permissions.
	Session *Set
	// Resource is the resource-based policy of the target, or a role's
	// trust policy when ResourceType is RoleTrustPolicy.
	Resource *Set
	// ResourceType is ResourcePolicy (the default when zero) or
	// RoleTrustPolicy. Trust policies must allow the caller explicitly.
	ResourceType PolicyType
	// RequireResourceAllow makes the resource policy's explicit allow
	// necessary even in the same account (as for KMS key policies).
	RequireResourceAllow bool
	// SCP is the chain of service control policies over the principal's
	// account: one Set per level (root, each OU, the account). Every level
	// must allow.
	SCP []*Set
	// RCP is the chain of resource control policies over the resource's
	// account, with the same every-level rule.
	RCP []*Set
}

// MatchedStatement identifies a statement that applied to a request.
type MatchedStatement struct {
	Type     PolicyType
	PolicyID string
	// Index is the statement's position in its document, from 0.
	Index  int
	Sid    string
	Effect Effect
}

// Decision is the outcome of [Decide] with its explanation.
type Decision struct {
	Result Result
	// DecidedBy is the policy type that allowed the request or denied it
	// (explicitly or for lack of an allow).
	DecidedBy PolicyType
	// Matched lists every statement that applied, in evaluation order.
	Matched []MatchedStatement
	// RootException is set when the request was allowed only because
	// the resource owner's root user may always fix a resource policy:
	// the resource policy denies it (rootMayFixResourcePolicy).
	RootException bool
}

// Allowed reports whether the request is allowed.
func (d *Decision) Allowed() bool { return d.Result == Allowed }

// Decide decides one request against its policies, following the AWS
// evaluation logic (explicit deny, RCPs, SCPs, resource-based policies,
// identity-based policies, permissions boundaries, session policies).
func Decide(req *Request, p *Policies) Decision {
	var d Decision
	DecideInto(req, p, &d)
	return d
}

// DecideInto is [Decide] writing into d, reusing d.Matched's storage. With
// a reused Decision it allocates nothing.
func DecideInto(req *Request, p *Policies, d *Decision) {
	d.Result, d.DecidedBy, d.Matched, d.RootException = ImplicitDeny, NoPolicy, d.Matched[:0], false
	e := evaluation{req: req, d: d}
	e.service, e.name, _ = strings.Cut(req.Action, ":")
	e.head = resourceHead(req.Resource)
	e.resParts, e.resIsARN = arn.Split(req.Resource)

	pr := &req.Principal
	e.bounded = p.Boundary != nil && (pr.Type == User || pr.Type == RoleSession)
	isRoot := pr.Type == Root
	resAcct := req.ResourceAccount
	if resAcct == "" {
		resAcct = pr.Account
	}
	same := pr.Type.hasIdentity() && resAcct == pr.Account
	resType := p.ResourceType
	if resType != RoleTrustPolicy {
		resType = ResourcePolicy
	}

	scpDeny, scpAllow := e.chain(p.SCP, ServiceControlPolicy, false)
	rcpDeny, rcpAllow := e.chain(p.RCP, ResourceControlPolicy, true)
	res := e.set(p.Resource, resType, true)
	var id, bound, sess setResult
	if !isRoot {
		id = e.set(p.Identity, IdentityPolicy, false)
		bound = e.set(p.Boundary, PermissionsBoundary, false)
		sess = e.set(p.Session, SessionPolicy, false)
	}

	// 1. An explicit deny in any applicable policy wins.
	rootExempt := isRoot && same && rootMayFixResourcePolicy(req.Action)
	switch {
	case scpDeny:
		d.set(ExplicitDeny, ServiceControlPolicy)
	case rcpDeny:
		d.set(ExplicitDeny, ResourceControlPolicy)
	case res.deny && !rootExempt:
		d.set(ExplicitDeny, resType)
	case id.deny:
		d.set(ExplicitDeny, IdentityPolicy)
	case bound.deny:
		d.set(ExplicitDeny, PermissionsBoundary)
	case sess.deny:
		d.set(ExplicitDeny, SessionPolicy)
	// 2–3. Organization guardrails: every level must allow.
	case p.RCP != nil && !rcpAllow:
		d.set(ImplicitDeny, ResourceControlPolicy)
	case p.SCP != nil && !scpAllow:
		d.set(ImplicitDeny, ServiceControlPolicy)
	// Resources whose policy must name the caller (role trust policies,
	// KMS key policies) refuse everyone else, root included: a key policy
	// that leaves out the account makes the key unmanageable (§4.6).
	case (resType == RoleTrustPolicy || p.RequireResourceAllow) && !res.allow:
		d.set(ImplicitDeny, resType)
	// The root user needs no policy in its own account.
	case isRoot && same:
		d.set(Allowed, RootUser)
		d.RootException = res.deny && rootExempt
	// Callers outside any account (anonymous, services) only get what a
	// resource policy grants them.
	case !pr.Type.hasIdentity():
		if res.allow {
			d.set(Allowed, resType)
		} else {
			d.set(ImplicitDeny, resType)
		}
	// 4. Same-account resource policies that name the caller itself (or
	// everyone) grant on their own.
	case same && res.allow && (res.kind == matchExact || res.kind == matchWildcard):
		d.set(Allowed, resType)
	case !same && !res.allow:
		d.set(ImplicitDeny, resType)
	// 5–7. The identity side: identity policies (unless a same-account
	// resource policy names the caller's role), boundary, session policy.
	case isRoot:
		d.set(Allowed, resType)
	default:
		roleGrant := same && res.allow && res.kind == matchIssuer
		switch {
		case !roleGrant && !id.allow:
			d.set(ImplicitDeny, IdentityPolicy)
		case p.Boundary != nil && !bound.allow:
			d.set(ImplicitDeny, PermissionsBoundary)
		case pr.Type.isSession() && p.Session != nil && !sess.allow:
			d.set(ImplicitDeny, SessionPolicy)
		case pr.Type == FederatedUser && p.Session == nil:
			d.set(ImplicitDeny, SessionPolicy)
		case id.allow:
			d.set(Allowed, IdentityPolicy)
		default:
			d.set(Allowed, resType)
		}
	}
}

func (d *Decision) set(r Result, t PolicyType) { d.Result, d.DecidedBy = r, t }

// rootMayFixResourcePolicy lists the actions a bucket owner's root user
// may perform even when the bucket policy denies it, so that a lock-out
// can always be undone.
func rootMayFixResourcePolicy(action string) bool {
	svc, name, _ := strings.Cut(action, ":")
	if !equalFoldASCII(svc, "s3") {
		return false
	}
	return equalFoldASCII(name, "GetBucketPolicy") || equalFoldASCII(name, "PutBucketPolicy") ||
		equalFoldASCII(name, "DeleteBucketPolicy")
}

// matchKind ranks how a resource policy's Principal names the caller.
type matchKind uint8

const (
	matchNone     matchKind = iota
	matchAccount            // the caller's account: delegation only
	matchIssuer             // the role (or IAM user) behind a session
	matchExact              // the caller itself
	matchWildcard           // "*"
)

type setResult struct {
	allow, deny bool
	kind        matchKind // best principal match among allowing statements
}

type evaluation struct {
	req           *Request
	d             *Decision
	service, name string
	head          string    // the resource's head, for the index
	resParts      [6]string // the resource split into ARN components
	resIsARN      bool
	// bounded is set when the caller is an IAM user, or a session of an
	// IAM role, that has a permissions boundary (Policies.Boundary).
	bounded bool
}

// set evaluates every candidate statement of s and records the matches.
func (e *evaluation) set(s *Set, t PolicyType, checkPrincipal bool) setResult {
	var r setResult
	if s == nil {
		return r
	}
	req := e.req
	cs := s.candidates(e.service, e.name, e.head)
	for c, ok := cs.next(); ok; c, ok = cs.next() {
		ref := &s.refs[c.ref]
		st := ref.st
		if !c.actionKnown && !st.actionApplies(e) || !st.resourceApplies(e) {
			continue
		}
		kind := matchExact
		if checkPrincipal {
			if kind = st.principalMatch(&req.Principal, e.bounded); kind == matchNone {
				continue
			}
		}
		if !st.conditionsHold(&req.Context) {
			continue
		}
		e.d.Matched = append(e.d.Matched, MatchedStatement{
			Type: t, PolicyID: s.policies[ref.policy].id, Index: st.index, Sid: st.sid, Effect: st.effect,
		})
		if st.effect == Deny {
			r.deny = true
		} else {
			r.allow = true
			r.kind = max(r.kind, kind)
		}
	}
	return r
}

// chain evaluates an SCP or RCP chain: any deny denies; every level needs
// an allow.
func (e *evaluation) chain(levels []*Set, t PolicyType, checkPrincipal bool) (deny, allowAll bool) {
	allowAll = true
	for _, lvl := range levels {
		r := e.set(lvl, t, checkPrincipal)
		deny = deny || r.deny
		allowAll = allowAll && r.allow
	}
	return deny, allowAll
}

func (st *statement) actionApplies(e *evaluation) bool {
	matched := false
	for i := range st.actions {
		if st.actions[i].match(e.service, e.name, e.req.Action) {
			matched = true
			break
		}
	}
	return matched != st.notAction
}

func (st *statement) resourceApplies(e *evaluation) bool {
	req := e.req
	matched := false
	for i := range st.resources {
		if st.resources[i].matchSplit(req.Resource, &e.resParts, e.resIsARN, &req.Context) {
			matched = true
			break
		}
	}
	return matched != st.notResource
}

func (st *statement) conditionsHold(ctx *Context) bool {
	for i := range st.conditions {
		if !st.conditions[i].eval(ctx) {
			return false
		}
	}
	return true
}

// principalMatch reports how the statement's Principal names p, or, for
// NotPrincipal, whether p escapes the list (matchExact) or not. bounded
// says that p is an IAM user or role session with a permissions boundary:
// AWS's NotPrincipal page says a Deny with NotPrincipal "will always deny
// any IAM principal that has a permissions boundary policy attached,
// regardless of the values specified in the NotPrincipal element", so
// such a statement applies to p whatever it lists.
func (st *statement) principalMatch(p *Principal, bounded bool) matchKind {
	m := st.principal
	if m == nil {
		return matchNone
	}
	if st.notPrincipal {
		if bounded && st.effect == Deny {
			return matchExact
		}
		if m.excludes(p) {
			return matchNone
		}
		return matchExact
	}
	return m.match(p)
}

func (m *principalMatcher) match(p *Principal) matchKind {
	if m.any {
		return matchWildcard
	}
	best := matchNone
	for i := range m.aws {
		a := &m.aws[i]
		switch {
		case a.account != "":
			if p.Type.hasIdentity() && a.account == p.Account {
				best = max(best, matchAccount)
			}
		case p.ARN != "" && a.value == p.ARN:
			return matchExact
		case p.IssuerARN != "" && a.value == p.IssuerARN:
			best = max(best, matchIssuer)
		}
	}
	if p.Type == Service && containsFold(m.service, p.Service) {
		return matchExact
	}
	if p.Federated != "" && containsFold(m.federated, p.Federated) {
		return matchExact
	}
	if p.CanonicalUser != "" && contains(m.canonical, p.CanonicalUser) {
		return matchExact
	}
	return best
}

// excludes reports whether a NotPrincipal list spares p. AWS checks each
// identity in the caller's chain (account, role or federating user,
// session), so all of them must be listed.
func (m *principalMatcher) excludes(p *Principal) bool {
	if m.any {
		return true
	}
	switch p.Type {
	case Service:
		return containsFold(m.service, p.Service)
	case Anonymous:
		return (p.Federated != "" && containsFold(m.federated, p.Federated)) ||
			(p.CanonicalUser != "" && contains(m.canonical, p.CanonicalUser))
	}
	accountListed, arnListed, issuerListed := false, false, p.IssuerARN == ""
	for i := range m.aws {
		a := &m.aws[i]
		switch {
		case a.account != "":
			accountListed = accountListed || a.account == p.Account
		case a.value == p.ARN:
			arnListed = true
		case a.value == p.IssuerARN:
			issuerListed = true
		}
	}
	if p.Type == Root {
		return accountListed
	}
	return accountListed && arnListed && issuerListed
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
