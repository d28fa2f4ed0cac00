// Package op is the contract between Gatehouse's edge and its operation
// tables: the Call an operation runs with, the typed Spec that describes
// one operation, and the Row the edge runs.
//
// An operation table (package api/iamops, api/stsops, ...) is a list of
// rows built with New. The edge (package api) authenticates the request,
// finds the row by name in the table of the service the credential
// scope names, fills in a Call (with the codec's decoder) and runs it:
// decode, precheck, authorize (authz.Authorizer.Check, with the row's
// action, resources, condition keys and gates), handle. A row never
// authorizes by hand and never writes the wire: it returns a wire DTO
// that the service's codec encodes.
package op

import (
	"context"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Call is one authenticated request on its way through an operation.
type Call struct {
	Ctx context.Context
	// Caller is who signed the request. An operation may replace it for
	// the rest of the request (an STS request that proved an MFA code
	// makes the caller's own session carry it).
	Caller *authz.Caller
	// Rev is the store revision the request started at: caches read at
	// it see what the request's authentication saw.
	Rev int64
	// Decode fills an operation's input from the request (set by the
	// service's codec: Query parameters, a JSON body, ...).
	Decode func(v any) error
	// Authz decides the operation (authz.Authorizer.Check).
	Authz     *authz.Authorizer
	RequestID string
	// Region is aws:RequestedRegion: the signing region, or for a global
	// service (IAM) its partition's region.
	Region    string
	SourceIP  string
	UserAgent string
	Secure    bool   // the request came over TLS
	Presigned bool   // the request was signed in its query string (a presigned URL)
	BaseURL   string // scheme://host the request came to (presigned URLs)
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
}

// Account is the caller's account ID.
func (c *Call) Account() string { return c.Caller.Account.ID }

// Now returns the current time.
func (c *Call) Now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

// Row is one row of an operation table: everything the edge needs to
// run one operation, built by New.
type Row struct {
	Name string
	// RootOnly and ConsoleOnly mark operations reserved for the root
	// user, and for its console sign-in (Spec.RootOnly, ConsoleOnly).
	RootOnly, ConsoleOnly bool
	// Run decodes, authorizes and handles the request; it returns the
	// wire result (nil for none) for the codec to encode.
	Run func(c *Call) (result any, err error)
}

// Spec describes an operation with typed input In.
type Spec[In any] struct {
	// Action is the IAM action authorized, e.g. "iam:CreateUser"; empty
	// means the operation needs no permission (sts:GetCallerIdentity).
	Action string
	// ActionFor, when set, returns the action to authorize for this
	// request instead of Action (S3's GetObject is s3:GetObjectVersion
	// when it names a version); Action stays the operation's own.
	ActionFor func(c *Call, in *In) string
	// Resource returns the ARN authorized against ("*" when nil).
	Resource func(c *Call, in *In) string
	// Context adds operation-specific condition keys.
	Context func(c *Call, in *In, ctx *policy.Context)
	// Precheck runs before authorization, for rules AWS applies first
	// (for example "Roles may not be assumed by root accounts.").
	Precheck func(c *Call, in *In) error
	// Also returns more resources the action is authorized against, each
	// after Resource and all of them required: a rename or move needs
	// permission on the entity's new ARN as well as its old one.
	Also func(c *Call, in *In) []string
	// AlsoActions returns more actions the request needs on its resource,
	// each authorized like Action (with the same resource policy): AWS's
	// sts:TagSession for AssumeRole with session tags, for example.
	AlsoActions func(c *Call, in *In) []string
	// ResourcePolicy fills in the target's resource-based policy.
	ResourcePolicy func(c *Call, in *In, r *authz.Request)
	// TrustPolicyOf returns the ARN of the role whose trust policy is the
	// resource policy (sts:AssumeRole): authz reads the role and decides
	// with its trust policy (authz.Operation.TrustPolicyOf).
	TrustPolicyOf func(c *Call, in *In) string
	// RootOnly reserves the operation for the account's root user
	// (authz.Operation.RootOnly).
	RootOnly bool
	// ConsoleOnly (with RootOnly) reserves the operation for the root
	// user's console sign-in session (authz.Operation.ConsoleOnly).
	ConsoleOnly bool
	// Billing makes Action a billing-family action
	// (authz.Operation.Billing).
	Billing authz.BillingGate
	// SelfGrant lets the account's password policy allow the action to
	// an IAM user (authz.Operation.SelfGrant).
	SelfGrant bool
	// Handle runs the operation once it is authorized and returns its
	// wire result.
	Handle func(c *Call, in *In) (any, error)
}

// New builds an operation row from a typed spec: decode, precheck,
// authorize, handle.
func New[In any](name string, spec Spec[In]) Row {
	return Row{Name: name, RootOnly: spec.RootOnly, ConsoleOnly: spec.ConsoleOnly, Run: func(c *Call) (any, error) {
		in := new(In)
		if c.Decode != nil {
			if err := c.Decode(in); err != nil {
				return nil, err
			}
		}
		if spec.Precheck != nil {
			if err := spec.Precheck(c, in); err != nil {
				return nil, err
			}
		}
		if spec.Action != "" {
			o := authz.Operation{
				Request:     authz.Request{Action: spec.Action, Resource: "*", Revision: c.Rev},
				RootOnly:    spec.RootOnly,
				ConsoleOnly: spec.ConsoleOnly,
				Billing:     spec.Billing,
				SelfGrant:   spec.SelfGrant,
				Time:        c.Now(),
			}
			if spec.ActionFor != nil {
				o.Action = spec.ActionFor(c, in)
			}
			if spec.Resource != nil {
				o.Resource = spec.Resource(c, in)
			}
			if spec.ResourcePolicy != nil {
				spec.ResourcePolicy(c, in, &o.Request)
			}
			if spec.TrustPolicyOf != nil {
				o.TrustPolicyOf = spec.TrustPolicyOf(c, in)
			}
			c.GlobalContext(&o.Context)
			if spec.Context != nil {
				spec.Context(c, in, &o.Context)
			}
			if spec.Also != nil {
				o.AlsoResources = spec.Also(c, in)
			}
			if spec.AlsoActions != nil {
				o.AlsoActions = spec.AlsoActions(c, in)
			}
			if err := c.Authz.Check(c.Ctx, c.Caller, &o); err != nil {
				return nil, err
			}
		}
		return spec.Handle(c, in)
	}}
}

// Table indexes rows by name. Two rows of one name are a programming
// error, caught by the tests that build every table.
func Table(rows ...[]Row) map[string]Row {
	m := map[string]Row{}
	for _, rs := range rows {
		for _, r := range rs {
			if _, dup := m[r.Name]; dup {
				panic("op: duplicate operation " + r.Name)
			}
			m[r.Name] = r
		}
	}
	return m
}

// GlobalContext sets the global condition keys every request carries
// (aws-reference §4.9).
func (c *Call) GlobalContext(ctx *policy.Context) {
	now := c.Now()
	ctx.Set("aws:CurrentTime", now.UTC().Format("2006-01-02T15:04:05Z"))
	ctx.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	ctx.Set("aws:SecureTransport", strconv.FormatBool(c.Secure))
	ctx.Set("aws:RequestedRegion", c.Region)
	ctx.Set("aws:ViaAWSService", "false")
	if c.SourceIP != "" {
		ctx.Set("aws:SourceIp", c.SourceIP)
	}
	if c.UserAgent != "" {
		ctx.Set("aws:UserAgent", c.UserAgent)
	}
}

// Empty is the input of an operation that takes none.
type Empty struct{}

// Tag is a tag in a request (Query: Tags.member.N.Key / .Value).
type Tag struct {
	Key   string
	Value string
}

// Tags converts request tags to the domain's.
func Tags(in []Tag) []gatehouse.Tag {
	out := make([]gatehouse.Tag, len(in))
	for i, t := range in {
		out[i] = gatehouse.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// TagContext sets aws:RequestTag/<key> and aws:TagKeys for tags passed
// in the request.
func TagContext(ctx *policy.Context, tags []Tag) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		ctx.Set("aws:RequestTag/"+t.Key, t.Value)
		keys = append(keys, t.Key)
	}
	ctx.Set("aws:TagKeys", keys...)
}

// Authorize decides one more action on one resource for the call, as a
// row's own Action is decided (authz.Authorizer.Check, with the global
// condition keys; fill adds the resource's owner, policy and keys). It
// is for batch operations that authorize each item and answer each
// item's refusal on its own (S3's DeleteObjects).
func Authorize(c *Call, action, resource string, fill func(r *authz.Request)) error {
	o := authz.Operation{Request: authz.Request{Action: action, Resource: resource, Revision: c.Rev}, Time: c.Now()}
	c.GlobalContext(&o.Context)
	if fill != nil {
		fill(&o.Request)
	}
	return c.Authz.Check(c.Ctx, c.Caller, &o)
}
