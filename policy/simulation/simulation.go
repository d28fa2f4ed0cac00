// Package simulation reads and runs offline authorization cases: one
// request, every policy that applies to it, and (in test corpora) the
// expected decision. It is the input format of `gatehouse policy simulate`
// and of the policy engine's decision corpus; docs/policy.md describes it.
package simulation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/policy"
)

// Case is one simulation input.
type Case struct {
	Name     string   `json:"name,omitempty"`
	Cite     string   `json:"cite,omitempty"`
	Request  Request  `json:"request"`
	Policies Policies `json:"policies"`
	Expect   *Output  `json:"expect,omitempty"`
}

// Request describes the request to decide.
type Request struct {
	Principal       Principal        `json:"principal"`
	Action          string           `json:"action"`
	Resource        string           `json:"resource"`
	ResourceAccount string           `json:"resourceAccount,omitempty"`
	Context         map[string]Value `json:"context,omitempty"`
}

// Principal describes the caller.
type Principal struct {
	Type          string            `json:"type"`
	ARN           string            `json:"arn,omitempty"`
	IssuerARN     string            `json:"issuerArn,omitempty"`
	Account       string            `json:"account,omitempty"`
	UserID        string            `json:"userId,omitempty"`
	Service       string            `json:"service,omitempty"`
	Federated     string            `json:"federated,omitempty"`
	CanonicalUser string            `json:"canonicalUser,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
}

// Policies lists the policies that apply, by type.
type Policies struct {
	Identity             []Doc   `json:"identity,omitempty"`
	Boundary             []Doc   `json:"boundary,omitempty"`
	Session              []Doc   `json:"session,omitempty"`
	Resource             []Doc   `json:"resource,omitempty"`
	ResourceType         string  `json:"resourceType,omitempty"`
	RequireResourceAllow bool    `json:"requireResourceAllow,omitempty"`
	SCP                  [][]Doc `json:"scp,omitempty"`
	RCP                  [][]Doc `json:"rcp,omitempty"`
}

// Doc is a policy: either a bare policy document, or {"id": ...,
// "document": ...} to name it in matched statements. A document may be a
// JSON object or a string holding one.
type Doc struct {
	ID       string
	Document json.RawMessage
}

// UnmarshalJSON accepts both forms of [Doc].
func (d *Doc) UnmarshalJSON(b []byte) error {
	var probe struct {
		ID       string          `json:"id"`
		Document json.RawMessage `json:"document"`
	}
	if err := json.Unmarshal(b, &probe); err == nil && probe.Document != nil {
		d.ID, d.Document = probe.ID, probe.Document
	} else {
		d.Document = append(json.RawMessage(nil), b...)
	}
	if t := bytes.TrimSpace(d.Document); len(t) > 0 && t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		d.Document = json.RawMessage(s)
	}
	return nil
}

// MarshalJSON writes the {"id", "document"} form.
func (d Doc) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID       string          `json:"id,omitempty"`
		Document json.RawMessage `json:"document"`
	}{d.ID, d.Document})
}

// Value is a context value: a string, number or boolean, or an array of
// them for multivalued keys.
type Value []string

// UnmarshalJSON accepts a scalar or an array of scalars.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := make(Value, 0, len(items))
		for _, it := range items {
			s, err := scalar(it)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		*v = out
		return nil
	}
	s, err := scalar(b)
	if err != nil {
		return err
	}
	*v = Value{s}
	return nil
}

func scalar(b []byte) (string, error) {
	var x any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return "", err
	}
	switch x := x.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.Number:
		return x.String(), nil
	}
	return "", errors.New("context values must be strings, numbers, booleans or arrays of them")
}

// Output is the result of a simulation.
type Output struct {
	Decision          string    `json:"decision"`
	DecidedBy         string    `json:"decidedBy"`
	MatchedStatements []Matched `json:"matchedStatements"`
}

// Matched is one statement that applied.
type Matched struct {
	PolicyType     string `json:"policyType"`
	PolicyID       string `json:"policyId"`
	StatementIndex int    `json:"statementIndex"`
	Sid            string `json:"sid,omitempty"`
	Effect         string `json:"effect"`
}

// Decode reads one case, rejecting unknown fields.
func Decode(r io.Reader) (*Case, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c Case
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("invalid case: %w", err)
	}
	return &c, nil
}

// DecodeAll reads a JSON array of cases, rejecting unknown fields.
func DecodeAll(r io.Reader) ([]Case, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var cs []Case
	if err := dec.Decode(&cs); err != nil {
		return nil, fmt.Errorf("invalid cases: %w", err)
	}
	return cs, nil
}

// Build turns the case into an engine request and policies. Errors name
// the offending field.
func (c *Case) Build() (*policy.Request, *policy.Policies, error) {
	req, err := c.Request.build()
	if err != nil {
		return nil, nil, err
	}
	ps := &policy.Policies{}
	p := &c.Policies
	if ps.Identity, err = buildSet("identity", p.Identity); err != nil {
		return nil, nil, err
	}
	if ps.Boundary, err = buildSet("boundary", p.Boundary); err != nil {
		return nil, nil, err
	}
	if ps.Session, err = buildSet("session", p.Session); err != nil {
		return nil, nil, err
	}
	if ps.Resource, err = buildSet("resource", p.Resource); err != nil {
		return nil, nil, err
	}
	switch p.ResourceType {
	case "", "resource", "resource-based policy":
		ps.ResourceType = policy.ResourcePolicy
	case "trust", "role trust policy":
		ps.ResourceType = policy.RoleTrustPolicy
	default:
		return nil, nil, fmt.Errorf(`policies.resourceType: %q is not "resource" or "trust"`, p.ResourceType)
	}
	ps.RequireResourceAllow = p.RequireResourceAllow
	if ps.SCP, err = buildChain("scp", p.SCP); err != nil {
		return nil, nil, err
	}
	if ps.RCP, err = buildChain("rcp", p.RCP); err != nil {
		return nil, nil, err
	}
	return req, ps, nil
}

// Run builds and decides the case.
func (c *Case) Run() (*Output, error) {
	req, ps, err := c.Build()
	if err != nil {
		return nil, err
	}
	d := policy.Decide(req, ps)
	out := &Output{Decision: d.Result.String(), DecidedBy: d.DecidedBy.String(), MatchedStatements: []Matched{}}
	for _, m := range d.Matched {
		out.MatchedStatements = append(out.MatchedStatements, Matched{
			PolicyType: m.Type.String(), PolicyID: m.PolicyID, StatementIndex: m.Index, Sid: m.Sid, Effect: m.Effect.String(),
		})
	}
	return out, nil
}

func (r *Request) build() (*policy.Request, error) {
	pt, ok := policy.ParsePrincipalType(r.Principal.Type)
	if !ok {
		return nil, fmt.Errorf("request.principal.type: %q is not one of root, user, role-session, federated, anonymous, service", r.Principal.Type)
	}
	if r.Action == "" {
		return nil, errors.New("request.action: required")
	}
	if r.Resource == "" {
		return nil, errors.New(`request.resource: required (use "*" for actions without a resource)`)
	}
	p := r.Principal
	if pt.String() != "anonymous" && pt.String() != "service" && p.Account == "" {
		return nil, fmt.Errorf("request.principal.account: required for a %s principal", p.Type)
	}
	req := &policy.Request{
		Principal: policy.Principal{
			Type: pt, ARN: p.ARN, IssuerARN: p.IssuerARN, Account: p.Account,
			Service: p.Service, Federated: p.Federated, CanonicalUser: p.CanonicalUser,
		},
		Action:          r.Action,
		Resource:        r.Resource,
		ResourceAccount: r.ResourceAccount,
	}
	ctx := &req.Context
	policy.PrincipalContext(ctx, req.Principal, p.UserID)
	for k, v := range p.Tags {
		ctx.Set("aws:PrincipalTag/"+k, v)
	}
	for k, v := range r.Context {
		ctx.Set(k, v...)
	}
	return req, nil
}

func buildSet(name string, docs []Doc) (*policy.Set, error) {
	if docs == nil {
		return nil, nil
	}
	ps := make([]*policy.Policy, 0, len(docs))
	for i, d := range docs {
		id := d.ID
		if id == "" {
			id = fmt.Sprintf("%s[%d]", name, i)
		}
		p, err := policy.CompileJSON(id, d.Document)
		if err == nil {
			err = checkEvaluable(p.Document())
		}
		if err != nil {
			var se *policy.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("policies.%s[%d]: %s (%s at %s)", name, i, se.Error(), se.Detail, se.Path)
			}
			return nil, fmt.Errorf("policies.%s[%d]: %w", name, i, err)
		}
		ps = append(ps, p)
	}
	return policy.NewSet(ps...), nil
}

func buildChain(name string, levels [][]Doc) ([]*policy.Set, error) {
	if levels == nil {
		return nil, nil
	}
	out := make([]*policy.Set, 0, len(levels))
	for i, lvl := range levels {
		if lvl == nil {
			lvl = []Doc{}
		}
		s, err := buildSet(fmt.Sprintf("%s[%d]", name, i), lvl)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// checkEvaluable rejects documents whose statements cannot apply to any
// request (no Action or NotAction), which AWS would refuse to store.
func checkEvaluable(doc *policy.Document) error {
	for i, st := range doc.Statements {
		if len(st.Action.List) == 0 && len(st.NotAction.List) == 0 {
			return fmt.Errorf("statement %d: %s", i, policy.MsgNoActions)
		}
	}
	return nil
}
