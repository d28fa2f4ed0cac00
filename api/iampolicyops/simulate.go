package iampolicyops

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Inputs of the policy simulator operations.
type (
	contextEntryIn struct {
		ContextKeyName   string
		ContextKeyValues []string
		ContextKeyType   string
	}
	simulatePrincipalIn struct {
		PolicySourceArn string `query:",required"`
		PolicyInputList []string
		simulateIn
	}
	simulateCustomIn struct {
		PolicyInputList []string `query:",required"`
		simulateIn
	}
	// simulateIn is what both simulations take besides their policies'
	// source, in the order of the service model's members.
	simulateIn struct {
		PermissionsBoundaryPolicyInputList []string
		ActionNames                        []string `query:",required"`
		ResourceArns                       []string
		ResourcePolicy                     string
		ResourceOwner                      string
		CallerArn                          string
		ContextEntries                     []contextEntryIn
		ResourceHandlingOption             string
		query.PageIn
	}
	contextKeysPrincipalIn struct {
		PolicySourceArn string `query:",required"`
		PolicyInputList []string
	}
	contextKeysCustomIn struct {
		PolicyInputList []string `query:",required"`
	}
)

// contextKeyTypes is ContextKeyTypeEnum.
var contextKeyTypes = []string{"string", "stringList", "numeric", "numericList", "boolean", "booleanList",
	"ip", "ipList", "binary", "binaryList", "date", "dateList"}

// check applies the service model's constraints on the members of a
// simulation after its policies: ActionNameType (3 to 128 characters),
// ResourceNameType (1 to 2048), policyDocumentType, ContextKeyNameType (5
// to 256), ContextKeyTypeEnum, ResourceHandlingOptionType (1 to 64),
// maxItemsType and markerType. The model sets no limit on the number of
// members of any list: the 1 MiB request body and the 10,000 parameters
// url.ParseQuery accepts bound them, and the simulator evaluates only the
// page it answers, within a budget of work (authz.Simulation.Page).
func (in *simulateIn) check(c *query.Constraints) {
	policyDocuments(c, "permissionsBoundaryPolicyInputList", in.PermissionsBoundaryPolicyInputList)
	c.StringList("actionNames", in.ActionNames, 3, 128)
	c.StringList("resourceArns", in.ResourceArns, 1, 2048)
	if in.ResourcePolicy != "" {
		policyDocument(c, "resourcePolicy", in.ResourcePolicy)
	}
	c.Optional("resourceOwner", in.ResourceOwner, 1, 2048)
	c.Optional("callerArn", in.CallerArn, 1, 2048)
	for i, e := range in.ContextEntries {
		m := query.Member("contextEntries", i)
		c.Optional(m+".contextKeyName", e.ContextKeyName, 5, 256)
		if e.ContextKeyType != "" {
			c.Enum(m+".contextKeyType", e.ContextKeyType, contextKeyTypes)
		}
	}
	c.Optional("resourceHandlingOption", in.ResourceHandlingOption, 1, 64)
	c.Page(in.PageIn)
}

// policyDocument checks a policyDocumentType value: 1 to 131072
// characters of [\u0009\u000A\u000D\u0020-\u00FF].
func policyDocument(c *query.Constraints, field, doc string) {
	if !c.Length(field, doc, 1, 131072, false) {
		return
	}
	for _, r := range doc {
		if r > 0xFF || r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			c.Violation(field, nil, `satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`)
			return
		}
	}
}

// policyDocuments checks a SimulationPolicyListType.
func policyDocuments(c *query.Constraints, field string, docs []string) {
	for i, d := range docs {
		policyDocument(c, query.Member(field, i), d)
	}
}

// input is the simulation the members ask for, without its policies.
func (in *simulateIn) input(c *op.Call) (authz.SimulationInput, error) {
	ctx, err := contextOf(in.ContextEntries)
	if err != nil {
		return authz.SimulationInput{}, err
	}
	return authz.SimulationInput{AccountID: c.Account(), BoundaryInputs: in.PermissionsBoundaryPolicyInputList,
		Actions: in.ActionNames, Resources: in.ResourceArns, ResourcePolicy: in.ResourcePolicy,
		ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn, Context: ctx}, nil
}

type positionXML struct {
	Line   int `xml:"Line"`
	Column int `xml:"Column"`
}

type statementXML struct {
	SourcePolicyID   string      `xml:"SourcePolicyId"`
	SourcePolicyType string      `xml:"SourcePolicyType"`
	StartPosition    positionXML `xml:"StartPosition"`
	EndPosition      positionXML `xml:"EndPosition"`
}

type evaluationResultXML struct {
	EvalActionName                    string                   `xml:"EvalActionName"`
	EvalResourceName                  string                   `xml:"EvalResourceName"`
	EvalDecision                      string                   `xml:"EvalDecision"`
	MatchedStatements                 query.List[statementXML] `xml:"MatchedStatements"`
	MissingContextValues              query.List[string]       `xml:"MissingContextValues"`
	OrganizationsDecisionDetail       organizationsXML         `xml:"OrganizationsDecisionDetail"`
	PermissionsBoundaryDecisionDetail *boundaryDetailXML       `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
}

type organizationsXML struct {
	AllowedByOrganizations bool `xml:"AllowedByOrganizations"`
}

type boundaryDetailXML struct {
	AllowedByPermissionsBoundary bool `xml:"AllowedByPermissionsBoundary"`
}

func contextOf(entries []contextEntryIn) (policy.Context, error) {
	var ctx policy.Context
	for _, e := range entries {
		if e.ContextKeyName == "" {
			return ctx, gatehouse.Errorf(gatehouse.CodeInvalidInput, "Context entries need a ContextKeyName.")
		}
		ctx.Set(e.ContextKeyName, e.ContextKeyValues...)
	}
	return ctx, nil
}

// simulationSource resolves a PolicySourceArn to its user, group or role.
func (d *Deps) simulationSource(c *op.Call, in *authz.SimulationInput, source string) error {
	a, err := arn.Parse(source)
	if err != nil || a.Service != "iam" || a.Account != c.Account() {
		return gatehouse.Errorf(gatehouse.CodeInvalidInput, "Invalid ARN: %s", source)
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	switch kind {
	case "user":
		in.SourceUser, err = d.IAM.User(c.Ctx, a.Account, name)
	case "group":
		in.SourceGroup, _, err = d.IAM.Group(c.Ctx, a.Account, name)
	case "role":
		in.SourceRole, err = d.IAM.Role(c.Ctx, a.Account, name)
	default:
		return gatehouse.Errorf(gatehouse.CodeInvalidInput, "Invalid ARN: %s", source)
	}
	return err
}

// simulate answers one page of a simulation. Only the results on the
// page are evaluated; the Marker is the offset of the next one.
func simulate(c *op.Call, sim authz.SimulationInput, in query.PageIn) (any, error) {
	start, max, err := query.PageBounds(sim.Results(), in)
	if err != nil {
		return nil, err
	}
	s, err := c.Authz.PrepareSimulation(c.Ctx, sim)
	if err != nil {
		return nil, err
	}
	results, next, err := s.Page(start, max)
	if err != nil {
		return nil, err
	}
	out := struct {
		EvaluationResults query.List[evaluationResultXML] `xml:"EvaluationResults"`
		IsTruncated       bool                            `xml:"IsTruncated"`
		Marker            string                          `xml:"Marker,omitempty"`
	}{EvaluationResults: make(query.List[evaluationResultXML], 0, len(results))}
	if next < s.Len() {
		out.IsTruncated, out.Marker = true, query.MarkerAt(next)
	}
	for _, r := range results {
		x := evaluationResultXML{
			EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision.String(),
			MatchedStatements: make(query.List[statementXML], 0, len(r.Matched)), MissingContextValues: append(query.List[string]{}, r.Missing...),
			OrganizationsDecisionDetail: organizationsXML{true},
		}
		for _, m := range r.Matched {
			x.MatchedStatements = append(x.MatchedStatements, statementXML{m.SourcePolicyID, m.SourcePolicyType,
				positionXML{m.Start.Line, m.Start.Column}, positionXML{m.End.Line, m.End.Column}})
		}
		if r.AllowedByBoundary != nil {
			x.PermissionsBoundaryDecisionDetail = &boundaryDetailXML{*r.AllowedByBoundary}
		}
		out.EvaluationResults = append(out.EvaluationResults, x)
	}
	return out, nil
}

func contextKeysResult(keys []string) any {
	return struct {
		ContextKeyNames query.List[string] `xml:"ContextKeyNames"`
	}{append(query.List[string]{}, keys...)}
}

// simulationRows is the policy simulator part of the IAM table.
func (d *Deps) simulationRows() []op.Row {
	return []op.Row{
		op.New("SimulatePrincipalPolicy", op.Spec[simulatePrincipalIn]{
			Action:   "iam:SimulatePrincipalPolicy",
			Resource: func(c *op.Call, in *simulatePrincipalIn) string { return in.PolicySourceArn },
			Precheck: func(c *op.Call, in *simulatePrincipalIn) error {
				var v query.Constraints
				v.Length("policySourceArn", in.PolicySourceArn, 20, 2048, true)
				policyDocuments(&v, "policyInputList", in.PolicyInputList)
				in.check(&v)
				return v.Err()
			},
			Handle: func(c *op.Call, in *simulatePrincipalIn) (any, error) {
				sim, err := in.input(c)
				if err != nil {
					return nil, err
				}
				sim.PolicyInputs = in.PolicyInputList
				if err := d.simulationSource(c, &sim, in.PolicySourceArn); err != nil {
					return nil, err
				}
				return simulate(c, sim, in.PageIn)
			},
		}),
		op.New("SimulateCustomPolicy", op.Spec[simulateCustomIn]{
			Action: "iam:SimulateCustomPolicy",
			Precheck: func(c *op.Call, in *simulateCustomIn) error {
				var v query.Constraints
				policyDocuments(&v, "policyInputList", in.PolicyInputList)
				in.check(&v)
				return v.Err()
			},
			Handle: func(c *op.Call, in *simulateCustomIn) (any, error) {
				sim, err := in.input(c)
				if err != nil {
					return nil, err
				}
				sim.PolicyInputs = in.PolicyInputList
				return simulate(c, sim, in.PageIn)
			},
		}),
		op.New("GetContextKeysForPrincipalPolicy", op.Spec[contextKeysPrincipalIn]{
			Action:   "iam:GetContextKeysForPrincipalPolicy",
			Resource: func(c *op.Call, in *contextKeysPrincipalIn) string { return in.PolicySourceArn },
			Precheck: func(c *op.Call, in *contextKeysPrincipalIn) error {
				var v query.Constraints
				v.Length("policySourceArn", in.PolicySourceArn, 20, 2048, true)
				policyDocuments(&v, "policyInputList", in.PolicyInputList)
				return v.Err()
			},
			Handle: func(c *op.Call, in *contextKeysPrincipalIn) (any, error) {
				sim := authz.SimulationInput{AccountID: c.Account(), PolicyInputs: in.PolicyInputList}
				if err := d.simulationSource(c, &sim, in.PolicySourceArn); err != nil {
					return nil, err
				}
				docs, err := c.Authz.PrincipalDocuments(c.Ctx, sim)
				if err != nil {
					return nil, err
				}
				keys, err := authz.ContextKeys(docs)
				if err != nil {
					return nil, err
				}
				return contextKeysResult(keys), nil
			},
		}),
		op.New("GetContextKeysForCustomPolicy", op.Spec[contextKeysCustomIn]{
			Action: "iam:GetContextKeysForCustomPolicy",
			Precheck: func(c *op.Call, in *contextKeysCustomIn) error {
				var v query.Constraints
				policyDocuments(&v, "policyInputList", in.PolicyInputList)
				return v.Err()
			},
			Handle: func(c *op.Call, in *contextKeysCustomIn) (any, error) {
				keys, err := authz.ContextKeys(in.PolicyInputList)
				if err != nil {
					return nil, err
				}
				return contextKeysResult(keys), nil
			},
		}),
	}
}
