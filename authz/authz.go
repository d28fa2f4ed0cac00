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
	"sync"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Caller is an authenticated principal.
type Caller struct {
	Account *gatehouse.Account
	// User is the calling IAM user, or nil for the account's root user.
	User *gatehouse.User
	// AccessKeyID is the key that signed the request.
	AccessKeyID string
}

// IsRoot reports whether the caller is the account's root user.
func (c *Caller) IsRoot() bool { return c.User == nil }

// ARN returns the caller's ARN as AWS prints it in messages.
func (c *Caller) ARN() string {
	if c.User == nil {
		return c.Account.RootARN()
	}
	return c.User.ARN()
}

// Principal returns the caller as the policy engine sees it.
func (c *Caller) Principal() policy.Principal {
	if c.User == nil {
		return policy.Principal{Type: policy.Root, ARN: c.Account.RootARN(), Account: c.Account.ID}
	}
	return policy.Principal{Type: policy.User, ARN: c.User.ARN(), Account: c.Account.ID}
}

// Request is what the caller wants to do.
type Request struct {
	// Action is "service:Action", e.g. "iam:CreateUser".
	Action string
	// Resource is the target ARN, or "*".
	Resource string
	// ResourceAccount owns the resource; "" means the caller's account.
	ResourceAccount string
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
	Store gatehouse.Store

	mu       sync.Mutex
	rev      int64
	compiled map[[32]byte]*policy.Policy // by document text
	sets     map[string]*principalSets   // by principal ARN
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
	userID := ""
	if c.User != nil {
		userID = c.User.ID
		for _, t := range c.User.Tags {
			if _, set := req.Context.Get("aws:PrincipalTag/" + t.Key); !set {
				req.Context.Set("aws:PrincipalTag/"+t.Key, t.Value)
			}
		}
	}
	policy.PrincipalContext(&req.Context, req.Principal, userID)

	ps := &policy.Policies{}
	if c.User != nil {
		sets, err := a.setsFor(ctx, r.Revision, c.User)
		if err != nil {
			return policy.Decision{}, err
		}
		ps.Identity, ps.Boundary = sets.identity, sets.boundary
	}
	d := policy.Decide(req, ps)
	if d.Result != policy.Allowed {
		return d, gatehouse.Errorf(gatehouse.EAccessDenied, "%s", DeniedMessage(c.ARN(), r.Action, r.Resource, d))
	}
	return d, nil
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
	if rev == 0 {
		var err error
		if rev, err = a.Store.Revision(ctx); err != nil {
			return nil, err
		}
	}
	key := u.ARN()
	a.mu.Lock()
	if rev != a.rev || a.sets == nil {
		a.rev, a.sets = rev, map[string]*principalSets{}
	}
	if s, ok := a.sets[key]; ok {
		a.mu.Unlock()
		return s, nil
	}
	a.mu.Unlock()

	var docs []namedDoc
	var boundary *namedDoc
	err := a.Store.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		docs, boundary, err = gatherUser(tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	s := &principalSets{}
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

type namedDoc struct {
	id  string
	doc string
}

// gatherUser collects the documents of every identity policy of u: its
// inline and attached policies and those of its groups, and its boundary.
func gatherUser(tx gatehouse.Tx, u *gatehouse.User) ([]namedDoc, *namedDoc, error) {
	var docs []namedDoc
	add := func(owner gatehouse.EntityRef) error {
		inline, err := tx.InlinePolicies(u.AccountID, owner)
		if err != nil {
			return err
		}
		for _, p := range inline {
			docs = append(docs, namedDoc{id: string(owner.Kind) + "/" + owner.Name + "/" + p.Name, doc: p.Document})
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

func defaultDocument(tx gatehouse.Tx, arn string) (namedDoc, error) {
	p, err := tx.Policy(arn)
	if err != nil {
		return namedDoc{}, err
	}
	v, err := tx.PolicyVersion(arn, p.DefaultVersionID)
	if err != nil {
		return namedDoc{}, err
	}
	return namedDoc{id: arn, doc: v.Document}, nil
}

// compile returns the compiled policy for a document, from the cache when
// the same text was compiled before.
func (a *Authorizer) compile(d namedDoc) (*policy.Policy, error) {
	key := sha256.Sum256([]byte(d.id + "\x00" + d.doc))
	a.mu.Lock()
	p, ok := a.compiled[key]
	a.mu.Unlock()
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
