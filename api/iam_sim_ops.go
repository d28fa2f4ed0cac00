package api

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/authz"
	"github.com/gatehouse-dev/gatehouse/iam"
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
		PolicySourceArn                    string `query:",required"`
		PolicyInputList                    []string
		PermissionsBoundaryPolicyInputList []string
		ActionNames                        []string `query:",required"`
		ResourceArns                       []string
		ResourcePolicy                     string
		ResourceOwner                      string
		CallerArn                          string
		ContextEntries                     []contextEntryIn
		pageIn
	}
	simulateCustomIn struct {
		PolicyInputList                    []string `query:",required"`
		PermissionsBoundaryPolicyInputList []string
		ActionNames                        []string `query:",required"`
		ResourceArns                       []string
		ResourcePolicy                     string
		ResourceOwner                      string
		CallerArn                          string
		ContextEntries                     []contextEntryIn
		pageIn
	}
	contextKeysPrincipalIn struct {
		PolicySourceArn string `query:",required"`
		PolicyInputList []string
	}
	contextKeysCustomIn struct {
		PolicyInputList []string `query:",required"`
	}
)

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
	EvalActionName                    string                `xml:"EvalActionName"`
	EvalResourceName                  string                `xml:"EvalResourceName"`
	EvalDecision                      string                `xml:"EvalDecision"`
	MatchedStatements                 members[statementXML] `xml:"MatchedStatements"`
	MissingContextValues              members[string]       `xml:"MissingContextValues"`
	OrganizationsDecisionDetail       organizationsXML      `xml:"OrganizationsDecisionDetail"`
	PermissionsBoundaryDecisionDetail *boundaryDetailXML    `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
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
			return ctx, gatehouse.Errorf(gatehouse.EInvalidInput, "Context entries need a ContextKeyName.")
		}
		ctx.Set(e.ContextKeyName, e.ContextKeyValues...)
	}
	return ctx, nil
}

// simulationSource resolves a PolicySourceArn to its user, group or role.
func (c *call) simulationSource(in *authz.SimulationInput, source string) error {
	a, err := arn.Parse(source)
	if err != nil || a.Service != "iam" || a.Account != c.account() {
		return gatehouse.Errorf(gatehouse.EInvalidInput, "Invalid ARN: %s", source)
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	switch kind {
	case "user":
		in.SourceUser, err = c.srv.IAM.User(c.ctx, a.Account, name)
	case "group":
		in.SourceGroup, _, err = c.srv.IAM.Group(c.ctx, a.Account, name)
	case "role":
		in.SourceRole, err = c.srv.IAM.Role(c.ctx, a.Account, name)
	default:
		return gatehouse.Errorf(gatehouse.EInvalidInput, "Invalid ARN: %s", source)
	}
	return err
}

// checkSimulationDocuments applies the IAM model's length limit of policy
// documents (iam.MaxPolicyDocumentLength, white space included) to a
// simulation's inputs, before anything else looks at them.
func checkSimulationDocuments(policies, boundaries []string, resourcePolicy string) error {
	if err := iam.CheckDocumentList(policies, "policyInputList"); err != nil {
		return err
	}
	if err := iam.CheckDocumentList(boundaries, "permissionsBoundaryPolicyInputList"); err != nil {
		return err
	}
	return iam.CheckDocumentLength(resourcePolicy, "resourcePolicy")
}

func simulationResult(results []authz.EvaluationResult, in pageIn) (any, error) {
	pg, trunc, next, err := page(results, in)
	if err != nil {
		return nil, err
	}
	out := struct {
		EvaluationResults members[evaluationResultXML] `xml:"EvaluationResults"`
		IsTruncated       bool                         `xml:"IsTruncated"`
		Marker            string                       `xml:"Marker,omitempty"`
	}{EvaluationResults: members[evaluationResultXML]{}, IsTruncated: trunc, Marker: next}
	for _, r := range pg {
		x := evaluationResultXML{
			EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision.String(),
			MatchedStatements: members[statementXML]{}, MissingContextValues: append(members[string]{}, r.Missing...),
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
		ContextKeyNames members[string] `xml:"ContextKeyNames"`
	}{append(members[string]{}, keys...)}
}

func simulationOperations() []operation {
	return []operation{
		op("SimulatePrincipalPolicy", opSpec[simulatePrincipalIn]{
			action:   "iam:SimulatePrincipalPolicy",
			resource: func(c *call, in *simulatePrincipalIn) string { return in.PolicySourceArn },
			precheck: func(_ *call, in *simulatePrincipalIn) error {
				return checkSimulationDocuments(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy)
			},
			handle: func(c *call, in *simulatePrincipalIn) (any, error) {
				ctx, err := contextOf(in.ContextEntries)
				if err != nil {
					return nil, err
				}
				sim := authz.SimulationInput{AccountID: c.account(), PolicyInputs: in.PolicyInputList,
					BoundaryInputs: in.PermissionsBoundaryPolicyInputList, Actions: in.ActionNames, Resources: in.ResourceArns,
					ResourcePolicy: in.ResourcePolicy, ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn, Context: ctx}
				if err := c.simulationSource(&sim, in.PolicySourceArn); err != nil {
					return nil, err
				}
				results, err := c.srv.Authz.Simulate(c.ctx, sim)
				if err != nil {
					return nil, err
				}
				return simulationResult(results, in.pageIn)
			},
		}),
		op("SimulateCustomPolicy", opSpec[simulateCustomIn]{
			action: "iam:SimulateCustomPolicy",
			precheck: func(_ *call, in *simulateCustomIn) error {
				return checkSimulationDocuments(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.ResourcePolicy)
			},
			handle: func(c *call, in *simulateCustomIn) (any, error) {
				ctx, err := contextOf(in.ContextEntries)
				if err != nil {
					return nil, err
				}
				results, err := c.srv.Authz.Simulate(c.ctx, authz.SimulationInput{AccountID: c.account(), PolicyInputs: in.PolicyInputList,
					BoundaryInputs: in.PermissionsBoundaryPolicyInputList, Actions: in.ActionNames, Resources: in.ResourceArns,
					ResourcePolicy: in.ResourcePolicy, ResourceOwner: in.ResourceOwner, CallerARN: in.CallerArn, Context: ctx})
				if err != nil {
					return nil, err
				}
				return simulationResult(results, in.pageIn)
			},
		}),
		op("GetContextKeysForPrincipalPolicy", opSpec[contextKeysPrincipalIn]{
			action:   "iam:GetContextKeysForPrincipalPolicy",
			resource: func(c *call, in *contextKeysPrincipalIn) string { return in.PolicySourceArn },
			precheck: func(_ *call, in *contextKeysPrincipalIn) error {
				return checkSimulationDocuments(in.PolicyInputList, nil, "")
			},
			handle: func(c *call, in *contextKeysPrincipalIn) (any, error) {
				sim := authz.SimulationInput{AccountID: c.account(), PolicyInputs: in.PolicyInputList}
				if err := c.simulationSource(&sim, in.PolicySourceArn); err != nil {
					return nil, err
				}
				docs, err := c.srv.Authz.PrincipalDocuments(c.ctx, sim)
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
		op("GetContextKeysForCustomPolicy", opSpec[contextKeysCustomIn]{
			action: "iam:GetContextKeysForCustomPolicy",
			precheck: func(_ *call, in *contextKeysCustomIn) error {
				return checkSimulationDocuments(in.PolicyInputList, nil, "")
			},
			handle: func(c *call, in *contextKeysCustomIn) (any, error) {
				keys, err := authz.ContextKeys(in.PolicyInputList)
				if err != nil {
					return nil, err
				}
				return contextKeysResult(keys), nil
			},
		}),
	}
}
