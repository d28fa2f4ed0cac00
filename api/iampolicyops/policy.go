package iampolicyops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Inputs of the managed policy operations.
type (
	createPolicyIn struct {
		PolicyName     string `query:",required"`
		Path           string
		PolicyDocument string `query:",required"`
		Description    string
		Tags           []op.Tag
	}
	listPoliciesIn struct {
		Scope             string
		OnlyAttached      *bool
		PathPrefix        string
		PolicyUsageFilter string
		query.PageIn
	}
	listEntitiesIn struct {
		PolicyArn         string `query:",required"`
		EntityFilter      string
		PathPrefix        string
		PolicyUsageFilter string
		query.PageIn
	}
)

type policyResult struct {
	Policy iamxml.Policy `xml:"Policy"`
}

// policyRows is the managed policy part of the IAM table (their
// versions are in policyVersionRows; their tags are package iamops's).
func (d *Deps) policyRows() []op.Row {
	return []op.Row{
		op.New("CreatePolicy", op.Spec[createPolicyIn]{
			Action:   "iam:CreatePolicy",
			Resource: func(c *op.Call, in *createPolicyIn) string { return newPolicyARN(c, in.Path, in.PolicyName) },
			Context:  func(c *op.Call, in *createPolicyIn, ctx *policy.Context) { op.TagContext(ctx, in.Tags) },
			Handle: func(c *op.Call, in *createPolicyIn) (any, error) {
				p, err := d.IAM.CreatePolicy(c.Ctx, c.Account(), iam.CreatePolicyInput{
					PolicyName: in.PolicyName, Path: in.Path, PolicyDocument: in.PolicyDocument,
					Description: in.Description, Tags: op.Tags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return policyResult{iamxml.ToPolicy(p, true, c.Caller.Account.ARNPartition())}, nil
			},
		}),
		op.New("GetPolicy", op.Spec[policyNamed]{
			Action:   "iam:GetPolicy",
			Resource: policyResource[policyNamed],
			Handle: func(c *op.Call, in *policyNamed) (any, error) {
				p, err := d.IAM.Policy(c.Ctx, c.Account(), in.PolicyArn)
				if err != nil {
					return nil, err
				}
				return policyResult{iamxml.ToPolicy(p, true, c.Caller.Account.ARNPartition())}, nil
			},
		}),
		op.New("ListPolicies", op.Spec[listPoliciesIn]{
			Action: "iam:ListPolicies",
			Handle: func(c *op.Call, in *listPoliciesIn) (any, error) {
				if in.Scope != "" && in.Scope != "All" && in.Scope != "AWS" && in.Scope != "Local" {
					return nil, gatehouse.Errorf(gatehouse.CodeInvalid, "1 validation error detected: Value '%s' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]", in.Scope)
				}
				ps, err := d.IAM.Policies(c.Ctx, c.Account(), iam.ListPoliciesInput{
					Scope: in.Scope, OnlyAttached: in.OnlyAttached != nil && *in.OnlyAttached,
					PathPrefix: in.PathPrefix, UsageFilter: in.PolicyUsageFilter})
				return query.ListPage("Policies", in.PageIn, func(p *iam.PolicyInfo) iamxml.Policy {
					x := iamxml.ToPolicy(p, false, c.Caller.Account.ARNPartition())
					x.Tags = nil
					return x
				})(ps, err)
			},
		}),
		op.New("DeletePolicy", op.Spec[policyNamed]{
			Action:   "iam:DeletePolicy",
			Resource: policyResource[policyNamed],
			Handle: func(c *op.Call, in *policyNamed) (any, error) {
				return nil, d.IAM.DeletePolicy(c.Ctx, c.Account(), in.PolicyArn)
			},
		}),
		op.New("ListEntitiesForPolicy", op.Spec[listEntitiesIn]{
			Action:   "iam:ListEntitiesForPolicy",
			Resource: func(c *op.Call, in *listEntitiesIn) string { return in.PolicyArn },
			Handle: func(c *op.Call, in *listEntitiesIn) (any, error) {
				es, err := d.IAM.PolicyEntities(c.Ctx, c.Account(), in.PolicyArn,
					iam.PolicyEntitiesInput{EntityFilter: in.EntityFilter, PathPrefix: in.PathPrefix, UsageFilter: in.PolicyUsageFilter})
				if err != nil {
					return nil, err
				}
				return policyEntitiesOf(es, in.PageIn)
			},
		}),
	}
}

// policyEntitiesXML is the ListEntitiesForPolicy result.
type policyEntitiesXML struct {
	PolicyGroups query.List[policyGroupXML] `xml:"PolicyGroups"`
	PolicyUsers  query.List[policyUserXML]  `xml:"PolicyUsers"`
	PolicyRoles  query.List[policyRoleXML]  `xml:"PolicyRoles"`
	IsTruncated  bool                       `xml:"IsTruncated"`
	Marker       string                     `xml:"Marker,omitempty"`
}

type policyGroupXML struct {
	GroupName string `xml:"GroupName"`
	GroupId   string `xml:"GroupId"`
}

type policyUserXML struct {
	UserName string `xml:"UserName"`
	UserId   string `xml:"UserId"`
}

type policyRoleXML struct {
	RoleName string `xml:"RoleName"`
	RoleId   string `xml:"RoleId"`
}

// policyEntitiesOf pages the entities of a policy: groups, then users,
// then roles, one Marker across the three lists.
func policyEntitiesOf(es *iam.PolicyEntities, in query.PageIn) (*policyEntitiesXML, error) {
	type entity struct{ kind, name, id string }
	var all []entity
	for _, g := range es.Groups {
		all = append(all, entity{"group", g.Name, g.ID})
	}
	for _, u := range es.Users {
		all = append(all, entity{"user", u.Name, u.ID})
	}
	for _, r := range es.Roles {
		all = append(all, entity{"role", r.Name, r.ID})
	}
	items, truncated, next, err := query.Page(all, in)
	if err != nil {
		return nil, err
	}
	out := &policyEntitiesXML{PolicyGroups: query.List[policyGroupXML]{}, PolicyUsers: query.List[policyUserXML]{},
		PolicyRoles: query.List[policyRoleXML]{}, IsTruncated: truncated, Marker: next}
	for _, e := range items {
		switch e.kind {
		case "group":
			out.PolicyGroups = append(out.PolicyGroups, policyGroupXML{e.name, e.id})
		case "user":
			out.PolicyUsers = append(out.PolicyUsers, policyUserXML{e.name, e.id})
		default:
			out.PolicyRoles = append(out.PolicyRoles, policyRoleXML{e.name, e.id})
		}
	}
	return out, nil
}
