// Package authz decides whether a caller may perform an operation: it
// gathers the caller's policies from the store (inline and attached
// policies of the user and its groups, the permissions boundary), asks
// the policy engine, and words denials as AWS does.
//
// Compiled policies are cached by document, and a principal's policy
// sets by principal; both are rebuilt when the store's revision moves, so
// a policy change is visible to the very next request.
package authz

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Caller is an authenticated principal.
type Caller struct {
	Account *gatehouse.Account
	// User is the calling IAM user (also for its GetSessionToken
	// sessions); nil for the root user and for role sessions.
	User *gatehouse.User
	// Role is the assumed role of a role session.
	Role *gatehouse.Role
	// Session is set when the request was signed with temporary
	// credentials.
	Session *gatehouse.Session
	// AccessKeyID is the key that signed the request.
	AccessKeyID string
	// Anonymous marks an unsigned request (S3 only): no account, no
	// identity; Account is then an empty Account. Only a resource policy
	// that names everyone grants it anything.
	Anonymous bool
}

// AnonymousCaller returns the caller of an unsigned request.
func AnonymousCaller() *Caller { return &Caller{Account: &gatehouse.Account{}, Anonymous: true} }

// IsRoot reports whether the caller is the account's root user (with its
// long-term keys or a root GetSessionToken session).
func (c *Caller) IsRoot() bool { return !c.Anonymous && c.User == nil && c.Role == nil }

// SessionARN returns the ARN of an assumed-role session of a role of
// account, in partition ("" for gatehouse.Partition).
func SessionARN(partition, account, roleName, sessionName string) string {
	return "arn:" + gatehouse.PartitionName(partition) + ":sts::" + account + ":assumed-role/" + roleName + "/" + sessionName
}

// ARN returns the caller's ARN as AWS prints it in messages: the session
// ARN for role sessions.
func (c *Caller) ARN() string {
	switch {
	case c.Anonymous:
		return "anonymous"
	case c.Role != nil:
		return SessionARN(c.Account.Partition, c.Account.ID, c.Role.Name, c.Session.SessionName)
	case c.User != nil:
		return c.User.ARN()
	}
	return c.Account.RootARN()
}

// UserID returns the caller's aws:userid: the account ID for root, the
// user ID for users, "ROLEID:session" for role sessions.
func (c *Caller) UserID() string {
	switch {
	case c.Anonymous:
		return "anonymous"
	case c.Role != nil:
		return c.Role.ID + ":" + c.Session.SessionName
	case c.User != nil:
		return c.User.ID
	}
	return c.Account.ID
}

// Principal returns the caller as the policy engine sees it.
func (c *Caller) Principal() policy.Principal {
	switch {
	case c.Anonymous:
		return policy.Principal{Type: policy.Anonymous, ARN: "*"}
	case c.Role != nil:
		return policy.Principal{Type: policy.RoleSession, ARN: c.ARN(), IssuerARN: c.Role.ARN(), Account: c.Account.ID}
	case c.User != nil:
		return policy.Principal{Type: policy.User, ARN: c.User.ARN(), Account: c.Account.ID}
	}
	return policy.Principal{Type: policy.Root, ARN: c.Account.RootARN(), Account: c.Account.ID}
}

// Request is what the caller wants to do.
type Request struct {
	// Action is "service:Action", e.g. "iam:CreateUser".
	Action string
	// Resource is the target ARN, or "*".
	Resource string
	// ResourceAccount owns the resource; "" means the caller's account.
	ResourceAccount string
	// ResourcePolicy is the target's resource-based policy document (a
	// role's trust policy for sts:AssumeRole), if it has one;
	// ResourceType says which kind (ResourcePolicy or RoleTrustPolicy).
	ResourcePolicy   string
	ResourcePolicyID string
	ResourceType     policy.PolicyType
	// PrincipalBindings maps the IAM user and role ARNs the resource
	// policy names to their unique IDs when it was written
	// (gatehouse.Role.TrustBindings): a caller whose ARN is bound to
	// another ID (the named entity was deleted and the name reused, or
	// another entity renamed into it) is not that principal.
	PrincipalBindings map[string]string
	// Revision is the store revision the request started at; 0 means
	// "read it now".
	Revision int64
	// Context holds request-specific condition keys (aws:SourceIp,
	// aws:RequestTag/..., iam:PolicyARN, ...). Principal keys are added
	// by Authorize.
	Context policy.Context
}

// Authorizer decides requests. The zero value is not usable: set Store.
type Authorizer struct {
	Store *gatehouse.TxStore[Tx]
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Observer, when set, is told of every decision Authorize makes and
	// every lookup in the authorizer's caches (cmd/gatehouse passes the
	// Prometheus metrics).
	Observer Observer

	mu       sync.Mutex
	rev      int64
	compiled map[[32]byte]*policy.Policy // by document text
	sets     map[string]*principalSets   // by principal ARN
}

// Observer receives what the authorizer measures. Its methods are called
// on the request path, concurrently: they must be quick and safe for
// concurrent use.
type Observer interface {
	// ObserveDecision is called with the result of each decision
	// Authorize makes and the type of policy that decided it.
	ObserveDecision(result policy.Result, by policy.PolicyType)
	// ObserveCache is called on each lookup in the authorizer's caches,
	// with the cache's name ("policy_sets": a principal's compiled
	// policies; "compiled_policies": by document) and whether it hit.
	ObserveCache(cache string, hit bool)
}

func (a *Authorizer) observeCache(cache string, hit bool) {
	if a.Observer != nil {
		a.Observer.ObserveCache(cache, hit)
	}
}

type principalSets struct {
	identity *policy.Set
	boundary *policy.Set
}

// Authorize decides r for caller c. It returns the decision and, when the
// request is denied, an *gatehouse.Error with code AccessDenied and AWS's
// message.
func (a *Authorizer) Authorize(ctx context.Context, c *Caller, r *Request) (policy.Decision, error) {
	req := &policy.Request{
		Principal:       c.Principal(),
		Action:          r.Action,
		Resource:        r.Resource,
		ResourceAccount: r.ResourceAccount,
		Context:         r.Context,
	}
	var tags []gatehouse.Tag
	switch {
	case c.Role != nil:
		// Session tags override the role's tags of the same key.
		if c.Session != nil {
			tags = append(tags, c.Session.Tags...)
		}
		tags = append(tags, c.Role.Tags...)
	case c.User != nil:
		tags = c.User.Tags
	}
	for _, t := range tags {
		if _, set := req.Context.Get("aws:PrincipalTag/" + t.Key); !set {
			req.Context.Set("aws:PrincipalTag/"+t.Key, t.Value)
		}
	}
	policy.PrincipalContext(&req.Context, req.Principal, c.UserID())
	if s := c.Session; s != nil {
		// Temporary credentials carry the MFA state and issue time.
		req.Context.Set("aws:MultiFactorAuthPresent", fmt.Sprint(s.MFAAuthenticated))
		if s.MFAAuthenticated {
			age := int64(a.now().Sub(s.MFAAuthTime).Seconds())
			req.Context.Set("aws:MultiFactorAuthAge", fmt.Sprint(max(age, 0)))
		}
		req.Context.Set("aws:TokenIssueTime", s.IssuedAt.UTC().Format("2006-01-02T15:04:05Z"))
	}

	ps := &policy.Policies{ResourceType: r.ResourceType}
	var sets *principalSets
	var err error
	switch {
	case c.Role != nil:
		sets, err = a.setsForRole(ctx, r.Revision, c.Role)
	case c.User != nil:
		sets, err = a.setsFor(ctx, r.Revision, c.User)
	}
	if err != nil {
		return policy.Decision{}, err
	}
	if sets != nil {
		ps.Identity, ps.Boundary = sets.identity, sets.boundary
	}
	if c.Role != nil {
		if ps.Session, err = a.sessionSet(ctx, c.Session); err != nil {
			return policy.Decision{}, err
		}
	}
	if r.ResourcePolicy != "" {
		var p *policy.Policy
		if arn, id, ok := c.unboundARN(r.PrincipalBindings); ok {
			p, err = compileUnbound(r.ResourcePolicyID, r.ResourcePolicy, arn, id)
		} else {
			p, err = a.compile(namedDoc{id: r.ResourcePolicyID, doc: r.ResourcePolicy})
		}
		if err != nil {
			return policy.Decision{}, err
		}
		ps.Resource = policy.NewSet(p)
	}
	d := policy.Decide(req, ps)
	if a.Observer != nil {
		a.Observer.ObserveDecision(d.Result, d.DecidedBy)
	}
	if d.Result != policy.Allowed {
		if c.Anonymous || strings.HasPrefix(r.Action, "s3:") && r.ResourceAccount != "" && r.ResourceAccount != c.Account.ID {
			// S3 explains a denial only within the account: anonymous and
			// cross-account callers read "Access Denied" (aws-s3.md §3.1).
			return d, gatehouse.Errorf(gatehouse.CodeDenied, "Access Denied")
		}
		return d, gatehouse.Errorf(gatehouse.CodeDenied, "%s", DeniedMessage(c.ARN(), r.Action, r.Resource, d))
	}
	return d, nil
}

// unboundARN reports whether the caller's identity ARN (the user's, or
// the role's for a role session) is one that bindings tie to another
// entity's unique ID, and returns that ARN and ID.
func (c *Caller) unboundARN(bindings map[string]string) (arn, id string, ok bool) {
	if len(bindings) == 0 {
		return "", "", false
	}
	var own string
	switch {
	case c.Role != nil:
		arn, own = c.Role.ARN(), c.Role.ID
	case c.User != nil:
		arn, own = c.User.ARN(), c.User.ID
	default:
		return "", "", false
	}
	id, bound := bindings[arn]
	return arn, id, bound && id != own
}

// compileUnbound compiles a resource policy in which the principal arn,
// bound to the entity with unique ID id, is that ID, as AWS shows a
// principal whose entity is gone: it matches no caller, so the entity now
// holding arn is not trusted by it.
func compileUnbound(policyID, document, arn, id string) (*policy.Policy, error) {
	doc, err := policy.Parse([]byte(document))
	if err != nil {
		return nil, fmt.Errorf("compile stored policy %s: %w", policyID, err)
	}
	doc.EachAWSPrincipal(func(v *string) {
		if *v == arn {
			*v = id
		}
	})
	return policy.Compile(policyID, doc)
}

func (a *Authorizer) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// DeniedMessage words a denial as AWS does (aws-reference §5.3).
func DeniedMessage(principalARN, action, resource string, d policy.Decision) string {
	head := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", principalARN, action, resource)
	t := d.DecidedBy
	if t == policy.NoPolicy || t == policy.RootUser {
		t = policy.IdentityPolicy
	}
	if d.Result == policy.ExplicitDeny {
		if t == policy.RoleTrustPolicy {
			return head + " with an explicit deny in the role trust policy"
		}
		return head + " with an explicit deny in " + article(t) + " " + t.String()
	}
	return head + " because no " + t.String() + " allows the " + action + " action"
}

func article(t policy.PolicyType) string {
	switch t {
	case policy.IdentityPolicy:
		return "an"
	}
	return "a"
}

// setsFor returns the user's identity and boundary sets, rebuilding them
// when the store has changed since they were built.
func (a *Authorizer) setsFor(ctx context.Context, rev int64, u *gatehouse.User) (*principalSets, error) {
	return a.cachedSets(ctx, rev, u.ARN(), func(tx Tx) ([]namedDoc, *namedDoc, error) { return gatherUser(tx, u) })
}

// setsForRole returns a role's identity and boundary sets.
func (a *Authorizer) setsForRole(ctx context.Context, rev int64, r *gatehouse.Role) (*principalSets, error) {
	return a.cachedSets(ctx, rev, r.ARN(), func(tx Tx) ([]namedDoc, *namedDoc, error) { return gatherRole(tx, r) })
}

// sessionSet compiles the session policies of a role session; nil when
// none were passed.
func (a *Authorizer) sessionSet(ctx context.Context, s *gatehouse.Session) (*policy.Set, error) {
	if s == nil || (s.SessionPolicy == "" && len(s.PolicyARNs) == 0) {
		return nil, nil
	}
	var docs []namedDoc
	if s.SessionPolicy != "" {
		docs = append(docs, namedDoc{id: "session/" + s.AccessKeyID, doc: s.SessionPolicy})
	}
	if len(s.PolicyARNs) > 0 {
		err := a.Store.View(ctx, func(tx Tx) error {
			for _, arn := range s.PolicyARNs {
				d, err := defaultDocument(tx, arn)
				if err != nil {
					return err
				}
				docs = append(docs, d)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var ps []*policy.Policy
	for _, d := range docs {
		p, err := a.compile(d)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return policy.NewSet(ps...), nil
}

// cachedSets returns the sets of one principal, rebuilding them with
// gather when the store has changed since they were built.
func (a *Authorizer) cachedSets(ctx context.Context, rev int64, key string, gather func(tx Tx) ([]namedDoc, *namedDoc, error)) (*principalSets, error) {
	if rev == 0 {
		var err error
		if rev, err = a.Store.Revision(ctx); err != nil {
			return nil, err
		}
	}
	a.mu.Lock()
	if rev != a.rev || a.sets == nil {
		a.rev, a.sets = rev, map[string]*principalSets{}
	}
	s, ok := a.sets[key]
	a.mu.Unlock()
	a.observeCache("policy_sets", ok)
	if ok {
		return s, nil
	}

	var docs []namedDoc
	var boundary *namedDoc
	err := a.Store.View(ctx, func(tx Tx) error {
		var err error
		docs, boundary, err = gather(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s = &principalSets{}
	var identity []*policy.Policy
	for _, d := range docs {
		p, err := a.compile(d)
		if err != nil {
			return nil, err
		}
		identity = append(identity, p)
	}
	s.identity = policy.NewSet(identity...)
	if boundary != nil {
		p, err := a.compile(*boundary)
		if err != nil {
			return nil, err
		}
		s.boundary = policy.NewSet(p)
	}
	a.mu.Lock()
	if a.rev == rev {
		a.sets[key] = s
	}
	a.mu.Unlock()
	return s, nil
}

// namedDoc is a policy document with its identity: id names it in
// decisions; source and name say where it came from, as IAM's simulator
// reports it (source user, group, role, aws-managed or user-managed).
type namedDoc struct {
	id     string
	doc    string
	source string
	name   string
}

// gatherUser collects the documents of every identity policy of u: its
// inline and attached policies and those of its groups, and its boundary.
func gatherUser(tx Tx, u *gatehouse.User) ([]namedDoc, *namedDoc, error) {
	var docs []namedDoc
	add := func(owner gatehouse.EntityRef) error {
		inline, err := tx.InlinePolicies(u.AccountID, owner)
		if err != nil {
			return err
		}
		for _, p := range inline {
			docs = append(docs, namedDoc{id: string(owner.Kind) + "/" + owner.Name + "/" + p.Name, doc: p.Document,
				source: string(owner.Kind), name: p.Name})
		}
		arns, err := tx.AttachedPolicies(u.AccountID, owner)
		if err != nil {
			return err
		}
		for _, arn := range arns {
			d, err := defaultDocument(tx, arn)
			if err != nil {
				return err
			}
			docs = append(docs, d)
		}
		return nil
	}
	if err := add(gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: u.Name}); err != nil {
		return nil, nil, err
	}
	groups, err := tx.GroupsForUser(u.AccountID, u.Name)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range groups {
		if err := add(gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: g.Name}); err != nil {
			return nil, nil, err
		}
	}
	if u.PermissionsBoundary == "" {
		return docs, nil, nil
	}
	b, err := defaultDocument(tx, u.PermissionsBoundary)
	if err != nil {
		return nil, nil, err
	}
	return docs, &b, nil
}

// gatherRole collects the documents of a role's inline and attached
// policies, and its boundary.
func gatherRole(tx Tx, r *gatehouse.Role) ([]namedDoc, *namedDoc, error) {
	var docs []namedDoc
	owner := gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: r.Name}
	inline, err := tx.InlinePolicies(r.AccountID, owner)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range inline {
		docs = append(docs, namedDoc{id: "role/" + r.Name + "/" + p.Name, doc: p.Document, source: "role", name: p.Name})
	}
	arns, err := tx.AttachedPolicies(r.AccountID, owner)
	if err != nil {
		return nil, nil, err
	}
	for _, arn := range arns {
		d, err := defaultDocument(tx, arn)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, d)
	}
	if r.PermissionsBoundary == "" {
		return docs, nil, nil
	}
	b, err := defaultDocument(tx, r.PermissionsBoundary)
	if err != nil {
		return nil, nil, err
	}
	return docs, &b, nil
}

func defaultDocument(tx Tx, arn string) (namedDoc, error) {
	p, err := tx.Policy(arn)
	if err != nil {
		return namedDoc{}, err
	}
	v, err := tx.PolicyVersion(arn, p.DefaultVersionID)
	if err != nil {
		return namedDoc{}, err
	}
	source := "user-managed"
	if p.AccountID == gatehouse.AWSManagedAccount {
		source = "aws-managed"
	}
	return namedDoc{id: arn, doc: v.Document, source: source, name: arn}, nil
}

// compile returns the compiled policy for a document, from the cache when
// the same text was compiled before.
func (a *Authorizer) compile(d namedDoc) (*policy.Policy, error) {
	key := sha256.Sum256([]byte(d.id + "\x00" + d.doc))
	a.mu.Lock()
	p, ok := a.compiled[key]
	a.mu.Unlock()
	a.observeCache("compiled_policies", ok)
	if ok {
		return p, nil
	}
	p, err := policy.CompileJSON(d.id, []byte(d.doc))
	if err != nil {
		return nil, fmt.Errorf("compile stored policy %s: %w", d.id, err)
	}
	a.mu.Lock()
	if a.compiled == nil {
		a.compiled = map[[32]byte]*policy.Policy{}
	}
	if len(a.compiled) > 10000 {
		clear(a.compiled)
	}
	a.compiled[key] = p
	a.mu.Unlock()
	return p, nil
}
