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

// Results is the number of results the simulation has: one per action
// and resource.
func (in *SimulationInput) Results() int { return len(in.Actions) * max(len(in.Resources), 1) }

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

// What one page of a simulation may cost. The simulator decides for
// policies, resources and context its caller chooses, so a page ends
// early (IAM "might return fewer results, even when there are more
// results available") once its decisions have cost pageWork (in
// policy.Meter units, about a nanosecond each) or its results hold
// pageOutput matched statements and missing context keys. A page always
// holds one result at least, so a single result that would cost more
// than pageWork is refused.
const (
	pageWork   = 100_000_000
	pageOutput = 5_000
)

// simDoc is a compiled input with what the simulator reports about it.
type simDoc struct {
	namedDoc
	policy *policy.Policy
	// positions holds the start and end of each statement, computed the
	// first time one of them is reported.
	positions [][2]policy.Position
}

// Simulation is a simulation ready to be evaluated: its policies parsed
// and compiled once, its request context built once. Its results are the
// cross product of its actions and resources, action by action, and any
// run of them can be evaluated alone: a page costs what is in it, not
// what comes before it.
type Simulation struct {
	actions, resources []string
	policies, boundary *policy.Policies
	byID               map[string]*simDoc
	req                policy.Request
	meter              *policy.Meter
	decision           policy.Decision
}

// PrepareSimulation gathers and compiles the policies of a simulation.
func (a *Authorizer) PrepareSimulation(ctx context.Context, in SimulationInput) (*Simulation, error) {
	var identity, boundary []namedDoc
	err := a.Store.View(ctx, func(tx Tx) error {
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
	s := &Simulation{actions: in.Actions, resources: in.Resources, byID: map[string]*simDoc{}}
	if len(s.resources) == 0 {
		s.resources = []string{"*"}
	}
	compileAll := func(docs []namedDoc) (*policy.Set, error) {
		if len(docs) == 0 {
			return nil, nil
		}
		var ps []*policy.Policy
		for _, d := range docs {
			p, err := policy.CompileJSON(d.id, []byte(d.doc))
			if err != nil {
				return nil, gatehouse.Errorf(gatehouse.CodeMalformedPolicy, "%s", err.Error())
			}
			s.byID[d.id] = &simDoc{namedDoc: d, policy: p}
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
	s.policies = ps
	if ps.Boundary != nil {
		s.boundary = &policy.Policies{Identity: ps.Boundary}
	}

	// One request serves every result: only its action and resource
	// change, and deciding reads its context without changing it.
	principal, userID, tags := simulatedPrincipal(in)
	s.req = policy.Request{Principal: principal, ResourceAccount: in.AccountID}
	if in.ResourceOwner != "" {
		s.req.ResourceAccount = in.ResourceOwner
		if a, err := arn.Parse(in.ResourceOwner); err == nil {
			s.req.ResourceAccount = a.Account
		}
	}
	for _, k := range in.Context.Keys() {
		v, _ := in.Context.Get(k)
		s.req.Context.Set(k, v...)
	}
	for _, t := range tags {
		if _, set := s.req.Context.Get("aws:PrincipalTag/" + t.Key); !set {
			s.req.Context.Set("aws:PrincipalTag/"+t.Key, t.Value)
		}
	}
	policy.PrincipalContext(&s.req.Context, principal, userID)
	s.meter = policy.NewMeter(&s.req.Context)
	return s, nil
}

// Len is the number of results: actions × resources.
func (s *Simulation) Len() int { return len(s.actions) * len(s.resources) }

// Page evaluates at most limit results from the offset-th on, fewer when
// the page reaches its budget of work or output, and returns them with
// the offset of the first result it leaves out (Len when none). It is not
// safe for concurrent use.
func (s *Simulation) Page(offset, limit int) ([]EvaluationResult, int, error) {
	var out []EvaluationResult
	work, output := int64(0), 0
	i := offset
	for ; i < s.Len() && len(out) < limit; i++ {
		s.req.Action, s.req.Resource = s.actions[i/len(s.resources)], s.resources[i%len(s.resources)]
		// Deciding, deciding the boundary alone, and finding the missing
		// keys each walk the candidate statements.
		cost := 3 * s.meter.Cost(&s.req, s.policies)
		if len(out) > 0 && (work+cost > pageWork || output >= pageOutput) {
			break
		}
		if cost > pageWork {
			return nil, 0, gatehouse.Errorf(gatehouse.CodePolicyEvaluation,
				"Simulating %s on %s would take more work than one request may do; simulate fewer or smaller policies, condition values or context values.",
				s.req.Action, s.req.Resource)
		}
		work += cost
		r := s.evaluate()
		output += len(r.Matched) + len(r.Missing)
		out = append(out, r)
	}
	return out, i, nil
}

// evaluate decides s.req.
func (s *Simulation) evaluate() EvaluationResult {
	req, d := &s.req, &s.decision
	policy.DecideInto(req, s.policies, d)
	r := EvaluationResult{Action: req.Action, Resource: req.Resource, Decision: d.Result, DecidedBy: d.DecidedBy,
		Missing: policy.MissingContextKeys(req, s.policies)}
	if len(d.Matched) > 0 {
		r.Matched = make([]SimulatedStatement, 0, len(d.Matched))
	}
	for _, m := range d.Matched {
		sd := s.byID[m.PolicyID]
		pos := sd.position(m.Index)
		r.Matched = append(r.Matched, SimulatedStatement{
			SourcePolicyID: sd.name, SourcePolicyType: sd.source, Start: pos[0], End: pos[1],
		})
	}
	if s.boundary != nil {
		policy.DecideInto(req, s.boundary, d)
		allowed := d.Result == policy.Allowed
		r.AllowedByBoundary = &allowed
	}
	return r
}

// position returns where statement i of the document starts and ends.
// The first call computes every statement's position in one pass over the
// document.
func (d *simDoc) position(i int) [2]policy.Position {
	if d.positions == nil {
		stmts := d.policy.Document().Statements
		offsets := make([]int, 0, 2*len(stmts))
		for _, st := range stmts {
			offsets = append(offsets, st.Start, st.End)
		}
		d.positions = make([][2]policy.Position, len(stmts))
		for j, p := range policy.PositionsOf([]byte(d.doc), offsets) {
			d.positions[j/2][j%2] = p
		}
	}
	return d.positions[i]
}

// simulatedPrincipal is the caller a simulation decides for.
func simulatedPrincipal(in SimulationInput) (policy.Principal, string, []gatehouse.Tag) {
	switch {
	case in.SourceUser != nil:
		u := in.SourceUser
		return policy.Principal{Type: policy.User, ARN: u.ARN(), Account: u.AccountID}, u.ID, u.Tags
	case in.SourceRole != nil:
		r := in.SourceRole
		return policy.Principal{Type: policy.RoleSession, ARN: SessionARN(r.Partition, r.AccountID, r.Name, "SimulatedSession"),
			IssuerARN: r.ARN(), Account: r.AccountID}, r.ID + ":SimulatedSession", r.Tags
	}
	p := policy.Principal{Type: policy.User, ARN: in.CallerARN, Account: in.AccountID}
	if a, err := arn.Parse(in.CallerARN); err == nil && a.Resource == "root" {
		p.Type = policy.Root
	}
	return p, "", nil
}

// gatherGroup collects a group's inline and attached policies.
func gatherGroup(tx Tx, g *gatehouse.Group) ([]namedDoc, error) {
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
			return nil, gatehouse.Errorf(gatehouse.CodeInvalidInput, "%s", err.Error())
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
	err := a.Store.View(ctx, func(tx Tx) error {
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
