package iamops

import (
	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/api/iamops/iamxml"
	"github.com/gatehouse-dev/gatehouse/api/op"
	"github.com/gatehouse-dev/gatehouse/api/query"
	"github.com/gatehouse-dev/gatehouse/iam"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// roleXML returns a role as the role operations answer it, its trust
// policy as AWS shows it (iam.Service.ShownTrustPolicy).
func (d *Deps) roleXML(c *op.Call, r *gatehouse.Role, full bool) (iamxml.Role, error) {
	x := iamxml.ToRole(r, full)
	doc, err := d.IAM.ShownTrustPolicy(c.Ctx, r)
	x.ShowTrustPolicy(doc)
	return x, err
}

// Inputs of the role operations.
type (
	createRoleIn struct {
		RoleName                 string `query:",required"`
		Path                     string
		AssumeRolePolicyDocument string `query:",required"`
		Description              string
		MaxSessionDuration       *int
		PermissionsBoundary      string
		Tags                     []op.Tag
	}
	listRolesIn struct {
		PathPrefix string
		query.PageIn
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
	rolePageIn struct {
		roleNamed
		pageIn
	}
	attachRoleIn struct {
		roleNamed
		attachIn
	}
	listAttachedRoleIn struct {
		roleNamed
		listAttachedIn
	}
	putRolePolicyIn struct {
		roleNamed
		putPolicyIn
	}
	rolePolicyIn struct {
		roleNamed
		inlinePolicyIn
	}
	roleBoundaryIn struct {
		roleNamed
		boundaryIn
	}
	tagRoleIn struct {
		roleNamed
		tagsIn
	}
	untagRoleIn struct {
		roleNamed
		tagKeysIn
	}
)

type roleResult struct {
	Role iamxml.Role `xml:"Role"`
}

// roleRows is the role part of the IAM table.
func (d *Deps) roleRows() []op.Row {
	roles := d.roles()
	rows := []op.Row{
		op.New("CreateRole", op.Spec[createRoleIn]{
			Action:   "iam:CreateRole",
			Resource: func(c *op.Call, in *createRoleIn) string { return entityARN(c, "role", in.Path, in.RoleName) },
			Context: func(c *op.Call, in *createRoleIn, ctx *policy.Context) {
				op.TagContext(ctx, in.Tags)
				if in.PermissionsBoundary != "" {
					ctx.Set("iam:PermissionsBoundary", in.PermissionsBoundary)
				}
			},
			Handle: func(c *op.Call, in *createRoleIn) (any, error) {
				r, err := d.IAM.CreateRole(c.Ctx, c.Account(), iam.CreateRoleInput{
					RoleName: in.RoleName, Path: in.Path, AssumeRolePolicyDocument: in.AssumeRolePolicyDocument,
					Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
					PermissionsBoundary: in.PermissionsBoundary, Tags: op.Tags(in.Tags)})
				if err != nil {
					return nil, err
				}
				x := iamxml.ToRole(r, true)
				x.RoleLastUsed = nil
				return roleResult{x}, nil
			},
		}),
		op.New("GetRole", op.Spec[roleNamed]{
			Action:   "iam:GetRole",
			Resource: resourceOf[roleNamed](roles),
			Handle: func(c *op.Call, in *roleNamed) (any, error) {
				r, err := d.IAM.Role(c.Ctx, c.Account(), in.RoleName)
				if err != nil {
					return nil, err
				}
				x, err := d.roleXML(c, r, true)
				return roleResult{x}, err
			},
		}),
		op.New("ListRoles", op.Spec[listRolesIn]{
			Action: "iam:ListRoles",
			Handle: func(c *op.Call, in *listRolesIn) (any, error) {
				roles, err := d.IAM.Roles(c.Ctx, c.Account(), in.PathPrefix)
				if err != nil {
					return nil, err
				}
				pg, trunc, next, err := query.Page(roles, in.PageIn)
				if err != nil {
					return nil, err
				}
				out := struct {
					Roles       query.List[iamxml.Role] `xml:"Roles"`
					IsTruncated bool                    `xml:"IsTruncated"`
					Marker      string                  `xml:"Marker,omitempty"`
				}{Roles: query.List[iamxml.Role]{}, IsTruncated: trunc, Marker: next}
				for _, r := range pg {
					x, err := d.roleXML(c, r, false)
					if err != nil {
						return nil, err
					}
					out.Roles = append(out.Roles, x)
				}
				return out, nil
			},
		}),
		op.New("UpdateRole", op.Spec[updateRoleIn]{
			Action:   "iam:UpdateRole",
			Resource: func(c *op.Call, in *updateRoleIn) string { return d.roleARN(c, in.RoleName) },
			Handle: func(c *op.Call, in *updateRoleIn) (any, error) {
				return struct{}{}, d.IAM.UpdateRole(c.Ctx, c.Account(), in.RoleName, in.Description, in.MaxSessionDuration)
			},
		}),
		op.New("UpdateAssumeRolePolicy", op.Spec[updateAssumeRolePolicyIn]{
			Action:   "iam:UpdateAssumeRolePolicy",
			Resource: func(c *op.Call, in *updateAssumeRolePolicyIn) string { return d.roleARN(c, in.RoleName) },
			Handle: func(c *op.Call, in *updateAssumeRolePolicyIn) (any, error) {
				return nil, d.IAM.UpdateAssumeRolePolicy(c.Ctx, c.Account(), in.RoleName, in.PolicyDocument)
			},
		}),
		op.New("DeleteRole", op.Spec[roleNamed]{
			Action:   "iam:DeleteRole",
			Resource: resourceOf[roleNamed](roles),
			Handle: func(c *op.Call, in *roleNamed) (any, error) {
				return nil, d.IAM.DeleteRole(c.Ctx, c.Account(), in.RoleName)
			},
		}),
	}
	rows = append(rows, attachedRows[attachRoleIn, listAttachedRoleIn](roles)...)
	rows = append(rows, inlineRows[putRolePolicyIn, rolePolicyIn, rolePageIn](roles)...)
	rows = append(rows, boundaryRows[roleBoundaryIn, roleNamed](roles)...)
	return append(rows, tagRows[tagRoleIn, untagRoleIn, rolePageIn](roles)...)
}
