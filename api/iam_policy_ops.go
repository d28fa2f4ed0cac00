package api

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// Inputs of the policy operations.
type (
	policyArnIn struct {
		PolicyArn string `query:",required"`
	}
	createPolicyIn struct {
		PolicyName     string `query:",required"`
		Path           string
		PolicyDocument string `query:",required"`
		Description    string
		Tags           []tagIn
	}
	listPoliciesIn struct {
		Scope             string
		OnlyAttached      *bool
		PathPrefix        string
		PolicyUsageFilter string
		pageIn
	}
	createPolicyVersionIn struct {
		PolicyArn      string `query:",required"`
		PolicyDocument string `query:",required"`
		SetAsDefault   *bool
	}
	policyVersionIn struct {
		PolicyArn string `query:",required"`
		VersionId string `query:",required"`
	}
	listPolicyVersionsIn struct {
		PolicyArn string `query:",required"`
		pageIn
	}
	attachUserIn struct {
		UserName  string `query:",required"`
		PolicyArn string `query:",required"`
	}
	attachGroupIn struct {
		GroupName string `query:",required"`
		PolicyArn string `query:",required"`
	}
	listAttachedUserIn struct {
		UserName   string `query:",required"`
		PathPrefix string
		pageIn
	}
	listAttachedGroupIn struct {
		GroupName  string `query:",required"`
		PathPrefix string
		pageIn
	}
	listEntitiesIn struct {
		PolicyArn         string `query:",required"`
		EntityFilter      string
		PathPrefix        string
		PolicyUsageFilter string
		pageIn
	}
	putUserPolicyIn struct {
		UserName       string `query:",required"`
		PolicyName     string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	putGroupPolicyIn struct {
		GroupName      string `query:",required"`
		PolicyName     string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	userPolicyIn struct {
		UserName   string `query:",required"`
		PolicyName string `query:",required"`
	}
	groupPolicyIn struct {
		GroupName  string `query:",required"`
		PolicyName string `query:",required"`
	}
	listUserPoliciesIn struct {
		UserName string `query:",required"`
		pageIn
	}
	listGroupPoliciesIn struct {
		GroupName string `query:",required"`
		pageIn
	}
)

type attachedList struct {
	AttachedPolicies query.List[attachedPolicyXML] `xml:"AttachedPolicies"`
	IsTruncated      bool                          `xml:"IsTruncated"`
	Marker           string                        `xml:"Marker,omitempty"`
}

type policyNameList struct {
	PolicyNames query.List[string] `xml:"PolicyNames"`
	IsTruncated bool               `xml:"IsTruncated"`
	Marker      string             `xml:"Marker,omitempty"`
}

func attachedListOf(ps []*gatehouse.ManagedPolicy, in pageIn, partition string) (any, error) {
	pg, trunc, next, err := page(ps, in)
	if err != nil {
		return nil, err
	}
	out := attachedList{AttachedPolicies: query.List[attachedPolicyXML]{}, IsTruncated: trunc, Marker: next}
	for _, p := range pg {
		out.AttachedPolicies = append(out.AttachedPolicies, attachedPolicyXML{p.Name, policyARNIn(p, partition)})
	}
	return out, nil
}

func policyNameListOf(names []string, in pageIn) (any, error) {
	pg, trunc, next, err := page(names, in)
	if err != nil {
		return nil, err
	}
	return policyNameList{PolicyNames: append(query.List[string]{}, pg...), IsTruncated: trunc, Marker: next}, nil
}

type inlinePolicyXML struct {
	UserName       string `xml:"UserName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func policyOperations() []operation {
	policyARN := func(c *call, in *policyArnIn) string { return in.PolicyArn }
	return []operation{
		legacyOp("CreatePolicy", opSpec[createPolicyIn]{
			action:   "iam:CreatePolicy",
			resource: func(c *call, in *createPolicyIn) string { return entityARN(c, "policy", in.Path, in.PolicyName) },
			context:  func(c *call, in *createPolicyIn, ctx *policy.Context) { tagContext(ctx, in.Tags) },
			handle: func(c *call, in *createPolicyIn) (any, error) {
				p, err := c.srv.IAM.CreatePolicy(c.ctx, c.account(), iam.CreatePolicyInput{
					PolicyName: in.PolicyName, Path: in.Path, PolicyDocument: in.PolicyDocument,
					Description: in.Description, Tags: toTags(in.Tags)})
				if err != nil {
					return nil, err
				}
				return policyResult{toPolicyXML(p, true, c.caller.Account.ARNPartition())}, nil
			},
		}),
		legacyOp("GetPolicy", opSpec[policyArnIn]{
			action:   "iam:GetPolicy",
			resource: policyARN,
			handle: func(c *call, in *policyArnIn) (any, error) {
				p, err := c.srv.IAM.Policy(c.ctx, c.account(), in.PolicyArn)
				if err != nil {
					return nil, err
				}
				return policyResult{toPolicyXML(p, true, c.caller.Account.ARNPartition())}, nil
			},
		}),
		legacyOp("ListPolicies", opSpec[listPoliciesIn]{
			action: "iam:ListPolicies",
			handle: func(c *call, in *listPoliciesIn) (any, error) {
				if in.Scope != "" && in.Scope != "All" && in.Scope != "AWS" && in.Scope != "Local" {
					return nil, gatehouse.Errorf(gatehouse.EValidation, "1 validation error detected: Value '%s' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]", in.Scope)
				}
				ps, err := c.srv.IAM.Policies(c.ctx, c.account(), iam.ListPoliciesInput{
					Scope: in.Scope, OnlyAttached: in.OnlyAttached != nil && *in.OnlyAttached,
					PathPrefix: in.PathPrefix, UsageFilter: in.PolicyUsageFilter})
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(ps, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Policies    query.List[policyXML] `xml:"Policies"`
					IsTruncated bool                  `xml:"IsTruncated"`
					Marker      string                `xml:"Marker,omitempty"`
				}{Policies: query.List[policyXML]{}, IsTruncated: trunc, Marker: next}
				for _, p := range pg {
					x := toPolicyXML(p, false, c.caller.Account.ARNPartition())
					x.Tags = nil
					out.Policies = append(out.Policies, x)
				}
				return out, nil
			},
		}),
		legacyOp("DeletePolicy", opSpec[policyArnIn]{
			action:   "iam:DeletePolicy",
			resource: policyARN,
			handle: func(c *call, in *policyArnIn) (any, error) {
				return nil, c.srv.IAM.DeletePolicy(c.ctx, c.account(), in.PolicyArn)
			},
		}),
		legacyOp("CreatePolicyVersion", opSpec[createPolicyVersionIn]{
			action:   "iam:CreatePolicyVersion",
			resource: func(c *call, in *createPolicyVersionIn) string { return in.PolicyArn },
			handle: func(c *call, in *createPolicyVersionIn) (any, error) {
				def := in.SetAsDefault != nil && *in.SetAsDefault
				v, err := c.srv.IAM.CreatePolicyVersion(c.ctx, c.account(), in.PolicyArn, in.PolicyDocument, def)
				if err != nil {
					return nil, err
				}
				return versionResult{policyVersionXML{VersionID: v.VersionID, IsDefaultVersion: def, CreateDate: query.Time(v.CreatedAt)}}, nil
			},
		}),
		legacyOp("GetPolicyVersion", opSpec[policyVersionIn]{
			action:   "iam:GetPolicyVersion",
			resource: func(c *call, in *policyVersionIn) string { return in.PolicyArn },
			handle: func(c *call, in *policyVersionIn) (any, error) {
				v, isDefault, err := c.srv.IAM.PolicyVersion(c.ctx, c.account(), in.PolicyArn, in.VersionId)
				if err != nil {
					return nil, err
				}
				return versionResult{policyVersionXML{encodePolicyDocument(v.Document), v.VersionID, isDefault, query.Time(v.CreatedAt)}}, nil
			},
		}),
		legacyOp("ListPolicyVersions", opSpec[listPolicyVersionsIn]{
			action:   "iam:ListPolicyVersions",
			resource: func(c *call, in *listPolicyVersionsIn) string { return in.PolicyArn },
			handle: func(c *call, in *listPolicyVersionsIn) (any, error) {
				vs, def, err := c.srv.IAM.PolicyVersions(c.ctx, c.account(), in.PolicyArn)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(vs, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Versions    query.List[policyVersionXML] `xml:"Versions"`
					IsTruncated bool                         `xml:"IsTruncated"`
					Marker      string                       `xml:"Marker,omitempty"`
				}{Versions: query.List[policyVersionXML]{}, IsTruncated: trunc, Marker: next}
				for _, v := range pg {
					out.Versions = append(out.Versions, policyVersionXML{VersionID: v.VersionID, IsDefaultVersion: v.VersionID == def, CreateDate: query.Time(v.CreatedAt)})
				}
				return out, nil
			},
		}),
		legacyOp("DeletePolicyVersion", opSpec[policyVersionIn]{
			action:   "iam:DeletePolicyVersion",
			resource: func(c *call, in *policyVersionIn) string { return in.PolicyArn },
			handle: func(c *call, in *policyVersionIn) (any, error) {
				return nil, c.srv.IAM.DeletePolicyVersion(c.ctx, c.account(), in.PolicyArn, in.VersionId)
			},
		}),
		legacyOp("SetDefaultPolicyVersion", opSpec[policyVersionIn]{
			action:   "iam:SetDefaultPolicyVersion",
			resource: func(c *call, in *policyVersionIn) string { return in.PolicyArn },
			handle: func(c *call, in *policyVersionIn) (any, error) {
				return nil, c.srv.IAM.SetDefaultPolicyVersion(c.ctx, c.account(), in.PolicyArn, in.VersionId)
			},
		}),
		legacyOp("AttachUserPolicy", opSpec[attachUserIn]{
			action:   "iam:AttachUserPolicy",
			resource: func(c *call, in *attachUserIn) string { return c.userARN(in.UserName) },
			context:  func(c *call, in *attachUserIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachUserIn) (any, error) {
				return nil, c.srv.IAM.AttachPolicy(c.ctx, c.account(), userRef(in.UserName), in.PolicyArn)
			},
		}),
		legacyOp("DetachUserPolicy", opSpec[attachUserIn]{
			action:   "iam:DetachUserPolicy",
			resource: func(c *call, in *attachUserIn) string { return c.userARN(in.UserName) },
			context:  func(c *call, in *attachUserIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachUserIn) (any, error) {
				return nil, c.srv.IAM.DetachPolicy(c.ctx, c.account(), userRef(in.UserName), in.PolicyArn)
			},
		}),
		legacyOp("AttachGroupPolicy", opSpec[attachGroupIn]{
			action:   "iam:AttachGroupPolicy",
			resource: func(c *call, in *attachGroupIn) string { return c.groupARN(in.GroupName) },
			context:  func(c *call, in *attachGroupIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachGroupIn) (any, error) {
				return nil, c.srv.IAM.AttachPolicy(c.ctx, c.account(), groupRef(in.GroupName), in.PolicyArn)
			},
		}),
		legacyOp("DetachGroupPolicy", opSpec[attachGroupIn]{
			action:   "iam:DetachGroupPolicy",
			resource: func(c *call, in *attachGroupIn) string { return c.groupARN(in.GroupName) },
			context:  func(c *call, in *attachGroupIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachGroupIn) (any, error) {
				return nil, c.srv.IAM.DetachPolicy(c.ctx, c.account(), groupRef(in.GroupName), in.PolicyArn)
			},
		}),
		legacyOp("ListAttachedUserPolicies", opSpec[listAttachedUserIn]{
			action:   "iam:ListAttachedUserPolicies",
			resource: func(c *call, in *listAttachedUserIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listAttachedUserIn) (any, error) {
				ps, err := c.srv.IAM.AttachedPolicies(c.ctx, c.account(), userRef(in.UserName), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				return attachedListOf(ps, in.pageIn, c.caller.Account.ARNPartition())
			},
		}),
		legacyOp("ListAttachedGroupPolicies", opSpec[listAttachedGroupIn]{
			action:   "iam:ListAttachedGroupPolicies",
			resource: func(c *call, in *listAttachedGroupIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *listAttachedGroupIn) (any, error) {
				ps, err := c.srv.IAM.AttachedPolicies(c.ctx, c.account(), groupRef(in.GroupName), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				return attachedListOf(ps, in.pageIn, c.caller.Account.ARNPartition())
			},
		}),
		legacyOp("ListEntitiesForPolicy", opSpec[listEntitiesIn]{
			action:   "iam:ListEntitiesForPolicy",
			resource: func(c *call, in *listEntitiesIn) string { return in.PolicyArn },
			handle: func(c *call, in *listEntitiesIn) (any, error) {
				es, err := c.srv.IAM.PolicyEntities(c.ctx, c.account(), in.PolicyArn,
					iam.PolicyEntitiesInput{EntityFilter: in.EntityFilter, PathPrefix: in.PathPrefix, UsageFilter: in.PolicyUsageFilter})
				if err != nil {
					return nil, err
				}
				return policyEntitiesOf(es, in.pageIn)
			},
		}),
		legacyOp("PutUserPolicy", opSpec[putUserPolicyIn]{
			action:   "iam:PutUserPolicy",
			resource: func(c *call, in *putUserPolicyIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *putUserPolicyIn) (any, error) {
				return nil, c.srv.IAM.PutInlinePolicy(c.ctx, c.account(), userRef(in.UserName), in.PolicyName, in.PolicyDocument)
			},
		}),
		legacyOp("GetUserPolicy", opSpec[userPolicyIn]{
			action:   "iam:GetUserPolicy",
			resource: func(c *call, in *userPolicyIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *userPolicyIn) (any, error) {
				p, err := c.srv.IAM.InlinePolicy(c.ctx, c.account(), userRef(in.UserName), in.PolicyName)
				if err != nil {
					return nil, err
				}
				return inlinePolicyXML{UserName: p.Owner.Name, PolicyName: p.Name, PolicyDocument: encodePolicyDocument(p.Document)}, nil
			},
		}),
		legacyOp("ListUserPolicies", opSpec[listUserPoliciesIn]{
			action:   "iam:ListUserPolicies",
			resource: func(c *call, in *listUserPoliciesIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *listUserPoliciesIn) (any, error) {
				names, err := c.srv.IAM.InlinePolicyNames(c.ctx, c.account(), userRef(in.UserName))
				if err != nil {
					return nil, err
				}
				return policyNameListOf(names, in.pageIn)
			},
		}),
		legacyOp("DeleteUserPolicy", opSpec[userPolicyIn]{
			action:   "iam:DeleteUserPolicy",
			resource: func(c *call, in *userPolicyIn) string { return c.userARN(in.UserName) },
			handle: func(c *call, in *userPolicyIn) (any, error) {
				return nil, c.srv.IAM.DeleteInlinePolicy(c.ctx, c.account(), userRef(in.UserName), in.PolicyName)
			},
		}),
		legacyOp("PutGroupPolicy", opSpec[putGroupPolicyIn]{
			action:   "iam:PutGroupPolicy",
			resource: func(c *call, in *putGroupPolicyIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *putGroupPolicyIn) (any, error) {
				return nil, c.srv.IAM.PutInlinePolicy(c.ctx, c.account(), groupRef(in.GroupName), in.PolicyName, in.PolicyDocument)
			},
		}),
		legacyOp("GetGroupPolicy", opSpec[groupPolicyIn]{
			action:   "iam:GetGroupPolicy",
			resource: func(c *call, in *groupPolicyIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *groupPolicyIn) (any, error) {
				p, err := c.srv.IAM.InlinePolicy(c.ctx, c.account(), groupRef(in.GroupName), in.PolicyName)
				if err != nil {
					return nil, err
				}
				return inlinePolicyXML{GroupName: p.Owner.Name, PolicyName: p.Name, PolicyDocument: encodePolicyDocument(p.Document)}, nil
			},
		}),
		legacyOp("ListGroupPolicies", opSpec[listGroupPoliciesIn]{
			action:   "iam:ListGroupPolicies",
			resource: func(c *call, in *listGroupPoliciesIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *listGroupPoliciesIn) (any, error) {
				names, err := c.srv.IAM.InlinePolicyNames(c.ctx, c.account(), groupRef(in.GroupName))
				if err != nil {
					return nil, err
				}
				return policyNameListOf(names, in.pageIn)
			},
		}),
		legacyOp("DeleteGroupPolicy", opSpec[groupPolicyIn]{
			action:   "iam:DeleteGroupPolicy",
			resource: func(c *call, in *groupPolicyIn) string { return c.groupARN(in.GroupName) },
			handle: func(c *call, in *groupPolicyIn) (any, error) {
				return nil, c.srv.IAM.DeleteInlinePolicy(c.ctx, c.account(), groupRef(in.GroupName), in.PolicyName)
			},
		}),
	}
}

// Inputs of the policy tag operations.
type (
	tagPolicyIn struct {
		PolicyArn string  `query:",required"`
		Tags      []tagIn `query:",required"`
	}
	untagPolicyIn struct {
		PolicyArn string   `query:",required"`
		TagKeys   []string `query:",required"`
	}
	listPolicyTagsIn struct {
		PolicyArn string `query:",required"`
		pageIn
	}
)

func policyTagOperations() []operation {
	return []operation{
		legacyOp("TagPolicy", opSpec[tagPolicyIn]{
			action:   "iam:TagPolicy",
			resource: func(c *call, in *tagPolicyIn) string { return in.PolicyArn },
			context:  func(c *call, in *tagPolicyIn, ctx *policy.Context) { tagContext(ctx, in.Tags) },
			handle: func(c *call, in *tagPolicyIn) (any, error) {
				return nil, c.srv.IAM.TagPolicy(c.ctx, c.account(), in.PolicyArn, toTags(in.Tags))
			},
		}),
		legacyOp("UntagPolicy", opSpec[untagPolicyIn]{
			action:   "iam:UntagPolicy",
			resource: func(c *call, in *untagPolicyIn) string { return in.PolicyArn },
			context: func(c *call, in *untagPolicyIn, ctx *policy.Context) {
				if len(in.TagKeys) > 0 {
					ctx.Set("aws:TagKeys", in.TagKeys...)
				}
			},
			handle: func(c *call, in *untagPolicyIn) (any, error) {
				return nil, c.srv.IAM.UntagPolicy(c.ctx, c.account(), in.PolicyArn, in.TagKeys)
			},
		}),
		legacyOp("ListPolicyTags", opSpec[listPolicyTagsIn]{
			action:   "iam:ListPolicyTags",
			resource: func(c *call, in *listPolicyTagsIn) string { return in.PolicyArn },
			handle: func(c *call, in *listPolicyTagsIn) (any, error) {
				p, err := c.srv.IAM.Policy(c.ctx, c.account(), in.PolicyArn)
				if err != nil {
					return nil, err
				}
				return tagListOf(p.Tags, in.pageIn)
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
func policyEntitiesOf(es *iam.PolicyEntities, in pageIn) (*policyEntitiesXML, error) {
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
	items, truncated, next, err := page(all, in)
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
