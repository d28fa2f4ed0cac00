package api

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

type roleXML struct {
	Path                     string             `xml:"Path"`
	RoleName                 string             `xml:"RoleName"`
	RoleID                   string             `xml:"RoleId"`
	Arn                      string             `xml:"Arn"`
	CreateDate               query.Time         `xml:"CreateDate"`
	AssumeRolePolicyDocument string             `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string             `xml:"Description,omitempty"`
	MaxSessionDuration       int                `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *boundaryXML       `xml:"PermissionsBoundary,omitempty"`
	Tags                     query.List[tagXML] `xml:"Tags,omitempty"`
	RoleLastUsed             *roleLastUsed      `xml:"RoleLastUsed,omitempty"`
}

type roleLastUsed struct {
	LastUsedDate *query.Time `xml:"LastUsedDate,omitempty"`
	Region       string      `xml:"Region,omitempty"`
}

// roleXML returns a role as the role operations answer it, its trust
// policy as AWS shows it (iam.Service.ShownTrustPolicy).
func (c *call) roleXML(r *gatehouse.Role, full bool) (roleXML, error) {
	x := toRoleXML(r, full)
	doc, err := c.srv.IAM.ShownTrustPolicy(c.ctx, r)
	x.AssumeRolePolicyDocument = encodePolicyDocument(doc)
	return x, err
}

func toRoleXML(r *gatehouse.Role, full bool) roleXML {
	x := roleXML{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(), CreateDate: query.Time(r.CreatedAt),
		AssumeRolePolicyDocument: encodePolicyDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full { // ListRoles leaves out PermissionsBoundary, Tags and RoleLastUsed
		if r.PermissionsBoundary != "" {
			x.PermissionsBoundary = &boundaryXML{"Policy", r.PermissionsBoundary}
		}
		x.Tags = tagsXML(r.Tags)
		x.RoleLastUsed = &roleLastUsed{}
		if r.LastUsed != nil {
			t := query.Time(*r.LastUsed)
			x.RoleLastUsed = &roleLastUsed{LastUsedDate: &t, Region: "us-east-1"}
		}
	}
	return x
}

// Inputs of the role operations.
type (
	roleNameIn struct {
		RoleName string `query:",required"`
	}
	createRoleIn struct {
		RoleName                 string `query:",required"`
		Path                     string
		AssumeRolePolicyDocument string `query:",required"`
		Description              string
		MaxSessionDuration       *int
		PermissionsBoundary      string
		Tags                     []tagIn
	}
	listRolesIn struct {
		PathPrefix string
		pageIn
	}
	updateRoleIn struct {
		RoleName           string `query:",required"`
		Description        *string
		MaxSessionDuration *int
	}
	updateAssumeRolePolicyIn struct {
		RoleName       string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	tagRoleIn struct {
		RoleName string  `query:",required"`
		Tags     []tagIn `query:",required"`
	}
	untagRoleIn struct {
		RoleName string   `query:",required"`
		TagKeys  []string `query:",required"`
	}
	listRoleTagsIn struct {
		RoleName string `query:",required"`
		pageIn
	}
	roleBoundaryIn struct {
		RoleName            string `query:",required"`
		PermissionsBoundary string `query:",required"`
	}
	attachRoleIn struct {
		RoleName  string `query:",required"`
		PolicyArn string `query:",required"`
	}
	listAttachedRoleIn struct {
		RoleName   string `query:",required"`
		PathPrefix string
		pageIn
	}
	putRolePolicyIn struct {
		RoleName       string `query:",required"`
		PolicyName     string `query:",required"`
		PolicyDocument string `query:",required"`
	}
	rolePolicyIn struct {
		RoleName   string `query:",required"`
		PolicyName string `query:",required"`
	}
	listRolePoliciesIn struct {
		RoleName string `query:",required"`
		pageIn
	}
)

// roleARN returns the ARN an operation on a role is authorized against.
func (c *call) roleARN(name string) string {
	if r, err := c.srv.IAM.Role(c.ctx, c.account(), name); err == nil {
		return r.ARN()
	}
	return gatehouse.EntityARN(c.account(), "role", "/", name)
}

func roleRef(name string) gatehouse.EntityRef {
	return gatehouse.EntityRef{Kind: gatehouse.KindRole, Name: name}
}

type roleResult struct {
	Role roleXML `xml:"Role"`
}

func roleOperations() []operation {
	roleARN := func(c *call, in *roleNameIn) string { return c.roleARN(in.RoleName) }
	return []operation{
		legacyOp("CreateRole", opSpec[createRoleIn]{
			action:   "iam:CreateRole",
			resource: func(c *call, in *createRoleIn) string { return entityARN(c, "role", in.Path, in.RoleName) },
			context: func(c *call, in *createRoleIn, ctx *policy.Context) {
				tagContext(ctx, in.Tags)
				if in.PermissionsBoundary != "" {
					ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
				}
			},
			handle: func(c *call, in *createRoleIn) (any, error) {
				r, err := c.srv.IAM.CreateRole(c.ctx, c.account(), iam.CreateRoleInput{
					RoleName: in.RoleName, Path: in.Path, AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
					Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
					PermissionsBoundary: in.PermissionsBoundary, Tags: toTags(in.Tags)})
				if err != nil {
					return nil, err
				}
				x := toRoleXML(r, true)
				x.RoleLastUsed = nil
				return roleResult{x}, nil
			},
		}),
		legacyOp("GetRole", opSpec[roleNameIn]{
			action:   "iam:GetRole",
			resource: roleARN,
			handle: func(c *call, in *roleNameIn) (any, error) {
				r, err := c.srv.IAM.Role(c.ctx, c.account(), in.RoleName)
				if err != nil {
					return nil, err
				}
				x, err := c.roleXML(r, true)
				return roleResult{x}, err
			},
		}),
		legacyOp("ListRoles", opSpec[listRolesIn]{
			action: "iam:ListRoles",
			handle: func(c *call, in *listRolesIn) (any, error) {
				roles, err := c.srv.IAM.Roles(c.ctx, c.account(), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := page(roles, in.pageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Roles       query.List[roleXML] `xml:"Roles"`
					IsTruncated bool                `xml:"IsTruncated"`
					Marker      string              `xml:"Marker,omitempty"`
				}{Roles: query.List[roleXML]{}, IsTruncated: trunc, Marker: next}
				for _, r := range pg {
					x, err := c.roleXML(r, false)
					if err != nil {
						return nil, err
					}
					out.Roles = append(out.Roles, x)
				}
				return out, nil
			},
		}),
		legacyOp("UpdateRole", opSpec[updateRoleIn]{
			action:   "iam:UpdateRole",
			resource: func(c *call, in *updateRoleIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *updateRoleIn) (any, error) {
				return struct{}{}, c.srv.IAM.UpdateRole(c.ctx, c.account(), in.RoleName, in.Description, in.MaxSessionDuration)
			},
		}),
		legacyOp("UpdateAssumeRolePolicy", opSpec[updateAssumeRolePolicyIn]{
			action:   "iam:UpdateAssumeRolePolicy",
			resource: func(c *call, in *updateAssumeRolePolicyIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *updateAssumeRolePolicyIn) (any, error) {
				return nil, c.srv.IAM.UpdateAssumeRolePolicy(c.ctx, c.account(), in.RoleName, in.PolicyDocument)
			},
		}),
		legacyOp("DeleteRole", opSpec[roleNameIn]{
			action:   "iam:DeleteRole",
			resource: roleARN,
			handle: func(c *call, in *roleNameIn) (any, error) {
				return nil, c.srv.IAM.DeleteRole(c.ctx, c.account(), in.RoleName)
			},
		}),
		legacyOp("TagRole", opSpec[tagRoleIn]{
			action:   "iam:TagRole",
			resource: func(c *call, in *tagRoleIn) string { return c.roleARN(in.RoleName) },
			context:  func(c *call, in *tagRoleIn, ctx *policy.Context) { tagContext(ctx, in.Tags) },
			handle: func(c *call, in *tagRoleIn) (any, error) {
				return nil, c.srv.IAM.TagRole(c.ctx, c.account(), in.RoleName, toTags(in.Tags))
			},
		}),
		legacyOp("UntagRole", opSpec[untagRoleIn]{
			action:   "iam:UntagRole",
			resource: func(c *call, in *untagRoleIn) string { return c.roleARN(in.RoleName) },
			context: func(c *call, in *untagRoleIn, ctx *policy.Context) {
				if len(in.TagKeys) > 0 {
					ctx.Set("aws:TagKeys", in.TagKeys...)
				}
			},
			handle: func(c *call, in *untagRoleIn) (any, error) {
				return nil, c.srv.IAM.UntagRole(c.ctx, c.account(), in.RoleName, in.TagKeys)
			},
		}),
		legacyOp("ListRoleTags", opSpec[listRoleTagsIn]{
			action:   "iam:ListRoleTags",
			resource: func(c *call, in *listRoleTagsIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *listRoleTagsIn) (any, error) {
				r, err := c.srv.IAM.Role(c.ctx, c.account(), in.RoleName)
				if err != nil {
					return nil, err
				}
				return tagListOf(r.Tags, in.pageIn)
			},
		}),
		legacyOp("PutRolePermissionsBoundary", opSpec[roleBoundaryIn]{
			action:   "iam:PutRolePermissionsBoundary",
			resource: func(c *call, in *roleBoundaryIn) string { return c.roleARN(in.RoleName) },
			context: func(c *call, in *roleBoundaryIn, ctx *policy.Context) {
				ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
			},
			handle: func(c *call, in *roleBoundaryIn) (any, error) {
				return nil, c.srv.IAM.PutRolePermissionsBoundary(c.ctx, c.account(), in.RoleName, in.PermissionsBoundary)
			},
		}),
		legacyOp("DeleteRolePermissionsBoundary", opSpec[roleNameIn]{
			action:   "iam:DeleteRolePermissionsBoundary",
			resource: roleARN,
			handle: func(c *call, in *roleNameIn) (any, error) {
				return nil, c.srv.IAM.DeleteRolePermissionsBoundary(c.ctx, c.account(), in.RoleName)
			},
		}),
		legacyOp("AttachRolePolicy", opSpec[attachRoleIn]{
			action:   "iam:AttachRolePolicy",
			resource: func(c *call, in *attachRoleIn) string { return c.roleARN(in.RoleName) },
			context:  func(c *call, in *attachRoleIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachRoleIn) (any, error) {
				return nil, c.srv.IAM.AttachPolicy(c.ctx, c.account(), roleRef(in.RoleName), in.PolicyArn)
			},
		}),
		legacyOp("DetachRolePolicy", opSpec[attachRoleIn]{
			action:   "iam:DetachRolePolicy",
			resource: func(c *call, in *attachRoleIn) string { return c.roleARN(in.RoleName) },
			context:  func(c *call, in *attachRoleIn, ctx *policy.Context) { ctx.Set("iam:PolicyARN", in.PolicyArn) },
			handle: func(c *call, in *attachRoleIn) (any, error) {
				return nil, c.srv.IAM.DetachPolicy(c.ctx, c.account(), roleRef(in.RoleName), in.PolicyArn)
			},
		}),
		legacyOp("ListAttachedRolePolicies", opSpec[listAttachedRoleIn]{
			action:   "iam:ListAttachedRolePolicies",
			resource: func(c *call, in *listAttachedRoleIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *listAttachedRoleIn) (any, error) {
				ps, err := c.srv.IAM.AttachedPolicies(c.ctx, c.account(), roleRef(in.RoleName), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				return attachedListOf(ps, in.pageIn, c.caller.Account.ARNPartition())
			},
		}),
		legacyOp("PutRolePolicy", opSpec[putRolePolicyIn]{
			action:   "iam:PutRolePolicy",
			resource: func(c *call, in *putRolePolicyIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *putRolePolicyIn) (any, error) {
				return nil, c.srv.IAM.PutInlinePolicy(c.ctx, c.account(), roleRef(in.RoleName), in.PolicyName, in.PolicyDocument)
			},
		}),
		legacyOp("GetRolePolicy", opSpec[rolePolicyIn]{
			action:   "iam:GetRolePolicy",
			resource: func(c *call, in *rolePolicyIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *rolePolicyIn) (any, error) {
				p, err := c.srv.IAM.InlinePolicy(c.ctx, c.account(), roleRef(in.RoleName), in.PolicyName)
				if err != nil {
					return nil, err
				}
				return struct {
					RoleName       string `xml:"RoleName"`
					PolicyName     string `xml:"PolicyName"`
					PolicyDocument string `xml:"PolicyDocument"`
				}{p.Owner.Name, p.Name, encodePolicyDocument(p.Document)}, nil
			},
		}),
		legacyOp("ListRolePolicies", opSpec[listRolePoliciesIn]{
			action:   "iam:ListRolePolicies",
			resource: func(c *call, in *listRolePoliciesIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *listRolePoliciesIn) (any, error) {
				names, err := c.srv.IAM.InlinePolicyNames(c.ctx, c.account(), roleRef(in.RoleName))
				if err != nil {
					return nil, err
				}
				return policyNameListOf(names, in.pageIn)
			},
		}),
		legacyOp("DeleteRolePolicy", opSpec[rolePolicyIn]{
			action:   "iam:DeleteRolePolicy",
			resource: func(c *call, in *rolePolicyIn) string { return c.roleARN(in.RoleName) },
			handle: func(c *call, in *rolePolicyIn) (any, error) {
				return nil, c.srv.IAM.DeleteInlinePolicy(c.ctx, c.account(), roleRef(in.RoleName), in.PolicyName)
			},
		}),
	}
}
