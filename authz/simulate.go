package authz

import (
	"context"
	"fmt"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// SimulationInput is a question for IAM's policy simulator. The source
// principal's policies are gathered by the same code that gathers them
// for enforcement, and decided by the same engine, so a simulation and a
// real call with the same inputs cannot disagree.
type SimulationInput struct {
	AccountID string
	// At most one source: the user (with its groups' policies), group or
	// role whose policies are simulated. None for SimulateCustomPolicy.
	SourceUser  *gatehouse.User
	SourceGroup *gatehouse.Group
	SourceRole  *gatehouse.Role
	// PolicyInputs are extra identity policy documents; BoundaryInputs
	// replace the source's permissions boundary.
	PolicyInputs   []string
	BoundaryInputs []string
	Actions        []string
	// Resources defaults to ["*"].
	Resources      []string
	ResourcePolicy string
	// ResourceOwner is the account (or an ARN in it) that owns the
	// resources; it defaults to the simulating account.
	ResourceOwner string
	// CallerARN is the principal used for custom simulations.
	CallerARN string
	Context   policy.Context
}

// SimulatedStatement is a statement that applied, located in its policy.
type SimulatedStatement struct {
	SourcePolicyID   string
	SourcePolicyType string // user, group, role, aws-managed, user-managed, resource, none
	Start, End       policy.Position
}

// EvaluationResult is the simulator's answer for one action and resource.
type EvaluationResult struct {
	Action, Resource string
	Decision         policy.Result
	DecidedBy        policy.PolicyType
	Matched          []SimulatedStatement
	Missing          []string
	// AllowedByBoundary is nil when no boundary applies.
	AllowedByBoundary *bool
}

// simDoc is a compiled input with what the simulator reports about it.
type simDoc struct {
	namedDoc
	policy *policy.Policy
}

// Simulate answers a simulation for every action and resource.
func (a *Authorizer) Simulate(ctx context.Context, in SimulationInput) ([]EvaluationResult, error) {
	var identity, boundary []namedDoc
	err := a.Store.View(ctx, func(tx gatehouse.Tx) error {
		var docs []namedDoc
		var b *namedDoc
		var err error
		switch {
		case in.SourceUser != nil:
			docs, b, err = gatherUser(tx, in.SourceUser)
		case in.SourceRole != nil:
			docs, b, err = gatherRole(tx, in.SourceRole)
		case in.SourceGroup != nil:
			docs, err = gatherGroup(tx, in.SourceGroup)
		}
		identity = docs
		if b != nil {
			boundary = []namedDoc{*b}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, d := range in.PolicyInputs {
		identity = append(identity, namedDoc{id: fmt.Sprintf("PolicyInputList.%d", i+1), doc: d, source: "none", name: fmt.Sprintf("PolicyInputList.%d", i+1)})
	}
	if len(in.BoundaryInputs) > 0 {
		boundary = nil
		for i, d := range in.BoundaryInputs {
			name := fmt.Sprintf("PermissionsBoundaryPolicyInputList.%d", i+1)
			boundary = append(boundary, namedDoc{id: name, doc: d, source: "none", name: name})
		}
	}
	byID := map[string]simDoc{}
	compileAll := func(docs []namedDoc) (*policy.Set, error) {
		if len(docs) == 0 {
			return nil, nil
		}
		var ps []*policy.Policy
		for _, d := range docs {
			p, err := policy.CompileJSON(d.id, []byte(d.doc))
			if err != nil {
				return nil, gatehouse.Errorf(gatehouse.EMalformedPolicy, "%s", err.Error())
			}
			byID[d.id] = simDoc{d, p}
			ps = append(ps, p)
		}
		return policy.NewSet(ps...), nil
	}
	ps := &policy.Policies{}
	if ps.Identity, err = compileAll(identity); err != nil {
		return nil, err
	}
	if ps.Identity == nil {
		ps.Identity = policy.NewSet()
	}
	if ps.Boundary, err = compileAll(boundary); err != nil {
		return nil, err
	}
	if in.ResourcePolicy != "" {
		if ps.Resource, err = compileAll([]namedDoc{{id: "ResourcePolicy", doc: in.ResourcePolicy, source: "resource", name: "ResourcePolicy"}}); err != nil {
			return nil, err
		}
	}
	principal, userID, tags := simulatedPrincipal(in)
	resources := in.Resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	owner := in.AccountID
	if in.ResourceOwner != "" {
		owner = in.ResourceOwner
		if a, err := arn.Parse(in.ResourceOwner); err == nil {
			owner = a.Account
		}
	}
	var out []EvaluationResult
	for _, action := range in.Actions {
		for _, res := range resources {
			req := &policy.Request{Principal: principal, Action: action, Resource: res, ResourceAccount: owner}
			for _, k := range in.Context.Keys() {
				v, _ := in.Context.Get(k)
				req.Context.Set(k, v...)
			}
			for _, t := range tags {
				if _, set := req.Context.Get("aws:PrincipalTag/" + t.Key); !set {
					req.Context.Set("aws:PrincipalTag/"+t.Key, t.Value)
				}
			}
			policy.PrincipalContext(&req.Context, principal, userID)
			d := policy.Decide(req, ps)
			r := EvaluationResult{Action: action, Resource: res, Decision: d.Result, DecidedBy: d.DecidedBy,
				Missing: policy.MissingContextKeys(req, ps)}
			for _, m := range d.Matched {
				sd := byID[m.PolicyID]
				st := sd.policy.Document().Statements[m.Index]
				r.Matched = append(r.Matched, SimulatedStatement{
					SourcePolicyID: sd.name, SourcePolicyType: sd.source,
					Start: policy.PositionOf([]byte(sd.doc), st.Start), End: policy.PositionOf([]byte(sd.doc), st.End),
				})
			}
			if ps.Boundary != nil {
				allowed := policy.Decide(req, &policy.Policies{Identity: ps.Boundary}).Result == policy.Allowed
				r.AllowedByBoundary = &allowed
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// simulatedPrincipal is the caller a simulation decides for.
func simulatedPrincipal(in SimulationInput) (policy.Principal, string, []gatehouse.Tag) {
	switch {
	case in.SourceUser != nil:
		u := in.SourceUser
		return policy.Principal{Type: policy.User, ARN: u.ARN(), Account: u.AccountID}, u.ID, u.Tags
	case in.SourceRole != nil:
		r := in.SourceRole
		return policy.Principal{Type: policy.RoleSession, ARN: SessionARN(r.AccountID, r.Name, "SimulatedSession"),
			IssuerARN: r.ARN(), Account: r.AccountID}, r.ID + ":SimulatedSession", r.Tags
	}
	p := policy.Principal{Type: policy.User, ARN: in.CallerARN, Account: in.AccountID}
	if a, err := arn.Parse(in.CallerARN); err == nil && a.Resource == "root" {
		p.Type = policy.Root
	}
	return p, "", nil
}

// gatherGroup collects a group's inline and attached policies.
func gatherGroup(tx gatehouse.Tx, g *gatehouse.Group) ([]namedDoc, error) {
	var docs []namedDoc
	owner := gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: g.Name}
	inline, err := tx.InlinePolicies(g.AccountID, owner)
	if err != nil {
		return nil, err
	}
	for _, p := range inline {
		docs = append(docs, namedDoc{id: "group/" + g.Name + "/" + p.Name, doc: p.Document, source: "group", name: p.Name})
	}
	arns, err := tx.AttachedPolicies(g.AccountID, owner)
	if err != nil {
		return nil, err
	}
	for _, arn := range arns {
		d, err := defaultDocument(tx, arn)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// ContextKeys returns the condition keys used by the documents, in order
// of first use, without duplicates.
func ContextKeys(docs []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		doc, err := policy.Parse([]byte(d))
		if err != nil {
			return nil, gatehouse.Errorf(gatehouse.EInvalidInput, "%s", err.Error())
		}
		for _, k := range doc.ConditionKeys() {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out, nil
}

// PrincipalDocuments returns the identity policy documents of a user
// (with its groups), group or role: what GetContextKeysForPrincipalPolicy
// reads.
func (a *Authorizer) PrincipalDocuments(ctx context.Context, in SimulationInput) ([]string, error) {
	var docs []namedDoc
	err := a.Store.View(ctx, func(tx gatehouse.Tx) error {
		var err error
		switch {
		case in.SourceUser != nil:
			docs, _, err = gatherUser(tx, in.SourceUser)
		case in.SourceRole != nil:
			docs, _, err = gatherRole(tx, in.SourceRole)
		case in.SourceGroup != nil:
			docs, err = gatherGroup(tx, in.SourceGroup)
		}
		return err
	})
	out := make([]string, 0, len(docs)+len(in.PolicyInputs))
	for _, d := range docs {
		out = append(out, d.doc)
	}
	return append(out, in.PolicyInputs...), err
}
