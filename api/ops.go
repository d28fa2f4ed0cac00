package api

import (
	"context"
	"net/url"

	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// call is one decoded API request on its way through an operation.
type call struct {
	ctx    context.Context
	srv    *Server
	rev    int64 // the store revision the request started at
	caller *authz.Caller
	form   url.Values
	// decode, when set, decodes the input instead of the Query form
	// (REST-JSON services).
	decode    func(v any) error
	requestID string
	region    string
	sourceIP  string
	userAgent string
	secure    bool
	baseURL   string // scheme://host the request came to (presigned URLs)
}

// operation is one row of an operation table: everything authorization
// needs (action, resource, condition keys) and the handler.
type operation struct {
	name string
	// rootOnly and consoleOnly mark operations reserved for the root
	// user, and for its console sign-in (opSpec.rootOnly, consoleOnly).
	rootOnly, consoleOnly bool
	run                   func(c *call) (result any, err error)
}

// opSpec describes an operation with typed input In.
type opSpec[In any] struct {
	// action is the IAM action authorized, e.g. "iam:CreateUser"; empty
	// means the operation needs no permission (sts:GetCallerIdentity).
	action string
	// resource returns the ARN authorized against ("*" when nil).
	resource func(c *call, in *In) string
	// context adds operation-specific condition keys.
	context func(c *call, in *In, ctx *policy.Context)
	// precheck runs before authorization, for rules AWS applies first
	// (for example "Roles may not be assumed by root accounts.").
	precheck func(c *call, in *In) error
	// also returns more resources the action is authorized against, each
	// after resource and all of them required: a rename or move needs
	// permission on the entity's new ARN as well as its old one.
	also func(c *call, in *In) []string
	// alsoActions returns more actions the request needs on its resource,
	// each authorized like action (with the same resource policy): AWS's
	// sts:TagSession for AssumeRole with session tags, for example.
	alsoActions func(c *call, in *In) []string
	// resourcePolicy fills in the target's resource-based policy.
	resourcePolicy func(c *call, in *In, r *authz.Request)
	// rootOnly reserves the operation for the account's root user: any
	// IAM user or role session is denied whatever its policies allow
	// (aws-reference §1). Root is still authorized as usual.
	rootOnly bool
	// consoleOnly (with rootOnly) reserves the operation for the root
	// user's console sign-in session (POST /_gatehouse/signin), made with
	// MFA when root has an MFA device: AWS offers these tasks only in
	// its console, behind the root password and MFA, never to an access
	// key (docs/root-tasks.md).
	consoleOnly bool
	// billing makes action a billing-family action (authz.Operation.Billing).
	billing authz.BillingGate
	// selfGrant lets the account's password policy allow the action to
	// an IAM user (authz.Operation.SelfGrant).
	selfGrant bool
	handle    func(c *call, in *In) (any, error)
}

// legacyOp builds an operation row from a typed spec: decode, authorize, handle.
func legacyOp[In any](name string, spec opSpec[In]) operation {
	return operation{name: name, rootOnly: spec.rootOnly, consoleOnly: spec.consoleOnly, run: func(c *call) (any, error) {
		in := new(In)
		var err error
		if c.decode != nil {
			err = c.decode(in)
		} else {
			err = query.Decode(c.form, in)
		}
		if err != nil {
			return nil, err
		}
		if spec.precheck != nil {
			if err := spec.precheck(c, in); err != nil {
				return nil, err
			}
		}
		if spec.action != "" {
			o := authz.Operation{
				Request:     authz.Request{Action: spec.action, Resource: "*", Revision: c.rev},
				RootOnly:    spec.rootOnly,
				ConsoleOnly: spec.consoleOnly,
				Billing:     spec.billing,
				SelfGrant:   spec.selfGrant,
				Time:        c.srv.now(),
			}
			if spec.resource != nil {
				o.Resource = spec.resource(c, in)
			}
			if spec.resourcePolicy != nil {
				spec.resourcePolicy(c, in, &o.Request)
			}
			c.globalContext(&o.Context)
			if spec.context != nil {
				spec.context(c, in, &o.Context)
			}
			if spec.also != nil {
				o.AlsoResources = spec.also(c, in)
			}
			if spec.alsoActions != nil {
				o.AlsoActions = spec.alsoActions(c, in)
			}
			if err := c.srv.Authz.Check(c.ctx, c.caller, &o); err != nil {
				return nil, err
			}
		}
		return spec.handle(c, in)
	}}
}

// globalContext sets the global condition keys every request carries
// (aws-reference §4.9).
func (c *call) globalContext(ctx *policy.Context) {
	now := c.srv.now()
	ctx.Set("aws:CurrentTime", now.UTC().Format("2006-01-02T15:04:05Z"))
	ctx.Set("aws:EpochTime", itoa(now.Unix()))
	ctx.Set("aws:SecureTransport", boolString(c.secure))
	ctx.Set("aws:RequestedRegion", c.region)
	ctx.Set("aws:ViaAWSService", "false")
	if c.sourceIP != "" {
		ctx.Set("aws:SourceIp", c.sourceIP)
	}
	if c.userAgent != "" {
		ctx.Set("aws:UserAgent", c.userAgent)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func itoa(n int64) string {
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// emptyIn is the input of an operation that takes none.
type emptyIn struct{}
